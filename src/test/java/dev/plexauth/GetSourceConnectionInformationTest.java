package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.testing.SpecFixture;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only {@code getSourceConnectionInformation}'s spec states and no generic suite can derive:
 * its {@code source} parameter takes {@code provider://<id>} as well as {@code
 * server://<clientIdentifier>} (the description and the pattern's alternatives say so; the
 * parameter's one example shows the server form), and that example is the source whose device the
 * 200 example describes. Everything else this operation does is checked for every operation by
 * the {@code PlexOperation*Test} suites.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GetSourceConnectionInformationTest extends MockServerTest {
  private static final SpecFixture FIXTURE = SpecFixture.of("getSourceConnectionInformation");

  @Test
  void providerSourceIsSentAsGivenAndEncodedOnce() throws Exception {
    server.enqueue(json(FIXTURE.okJson()));
    String provider = "provider://tv.plex.provider.epg";

    SourceConnectionInformation source;
    try (PlexAuthClient client = builderFor(server).build()) {
      source = client.getSourceConnectionInformation(provider);
    }

    assertEquals(FIXTURE.expected(), source);
    HttpUrl url = take(server).getRequestUrl();
    assertEquals(provider, url.queryParameter("source"));
    assertEquals("source=provider%3A%2F%2Ftv.plex.provider.epg", url.encodedQuery());
  }

  @Test
  void sourceExampleNamesTheDeviceOfTheAnswerExample() {
    SourceConnectionInformation device = (SourceConnectionInformation) FIXTURE.expected();

    assertEquals("server://" + device.clientIdentifier(), FIXTURE.arguments().text("source"));
  }
}

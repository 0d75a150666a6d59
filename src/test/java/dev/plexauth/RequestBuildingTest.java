package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.plexauth.api.SecurityApi;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.internal.RequestCapture;
import dev.plexauth.model.TransientTokenScope;
import dev.plexauth.model.TransientTokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okhttp3.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import retrofit2.Invocation;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;

/**
 * The facade builds its requests once (getTransientToken) or from a template (the query of
 * getSourceConnectionInformation), not through Retrofit on every call: they must be exactly the
 * requests Retrofit builds from the generated interface, for any base URL and any source.
 */
class RequestBuildingTest {
  private static final long SEED = 0x5EEDL;

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:32400/", "https://10-0-0-1.abc.plex.direct:32400/plex/"})
  void transientTokenRequestsAreRetrofitsBuiltOnce(String base) {
    PlexCalls calls = calls(base);
    SecurityApi retrofit = retrofit(base);
    for (TransientTokenType type : TransientTokenType.values()) {
      for (TransientTokenScope scope : TransientTokenScope.values()) {
        Request expected = retrofit.getTransientToken(type, scope).request();
        Request actual = calls.transientTokenRequest(type, scope);
        assertSameRequest(expected, actual);
        assertSame(actual, calls.transientTokenRequest(type, scope), "built once, then reused");
        assertNull(actual.tag(Invocation.class), "Retrofit's tag is dropped (cheaper copies)");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:32400/", "https://10-0-0-1.abc.plex.direct:32400/plex/"})
  void sourceRequestsEqualRetrofitsForAnySource(String base) {
    PlexCalls calls = calls(base);
    SecurityApi retrofit = retrofit(base);
    List<String> sources = new ArrayList<>(List.of(
        "server://243b471948ace337a8f92f129ec97d1902fcb1df",
        "provider://tv.plex.provider.vod",
        "server://a&b=c#d?e+f%20g%zz",
        "server://ä€😀/\\\"'<>[]{}|^`",
        "provider://" + "x".repeat(2000)));
    Random random = new Random(SEED);
    String alphabet = "abcXYZ019-._~!$&'()*+,;=:@/?#[]%\"<>\\^`{|}äß€😀";
    for (int n = 0; n < 300; n++) {
      StringBuilder id = new StringBuilder();
      for (int i = 1 + random.nextInt(40); i > 0; i--) {
        id.appendCodePoint(alphabet.codePointAt(
            alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
      }
      sources.add((random.nextBoolean() ? "server://" : "provider://") + id);
    }
    for (String source : sources) {
      for (Integer refresh : new Integer[] {null, 0, 1}) {
        assertSameRequest(retrofit.getSourceConnectionInformation(source, refresh).request(),
            calls.sourceRequest(source, refresh));
      }
    }
  }

  private static void assertSameRequest(Request expected, Request actual) {
    assertEquals(expected.method(), actual.method());
    assertEquals(expected.url(), actual.url());
    assertEquals(expected.headers(), actual.headers());
    assertEquals(expected.body(), actual.body());
  }

  private static PlexCalls calls(String base) {
    return new PlexCalls(new PlexAuthConfig(
        PlexAuthClient.builder().baseUrl(base).token("request-building-token").clientIdentifier("id")));
  }

  private static SecurityApi retrofit(String base) {
    return new Retrofit.Builder()
        .baseUrl(base)
        .callFactory(RequestCapture.INSTANCE)
        .addConverterFactory(MoshiConverterFactory.create(PlexMoshi.moshi()))
        .build()
        .create(SecurityApi.class);
  }
}

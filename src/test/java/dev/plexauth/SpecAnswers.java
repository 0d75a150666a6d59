package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.testing.SpecJson;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;

/** Assertions over many scripted 200 answers at once, for the spec-driven suites. */
final class SpecAnswers {
  private SpecAnswers() {}

  /**
   * Answers each body in turn (JSON, HTTP 200) to one call each, on one client, and checks that
   * every call fails with a {@link PlexDecodingException} naming the JSON path the map gives
   * ({@link SpecJson#namesPath}) and holding no secret: the caller's token, an example's, or
   * {@code otherSecrets}.
   */
  static void assertEachFailsNaming(MockWebServer server, SpecCall call,
      Map<String, String> bodies, String... otherSecrets) {
    try (PlexAuthClient client = builderFor(server).build()) {
      bodies.forEach((body, path) -> {
        server.enqueue(json(body));

        PlexDecodingException e =
            assertThrows(PlexDecodingException.class, () -> call.call(client), body);

        assertEquals(200, e.code(), body);
        assertEquals(JSON, e.contentType(), body);
        assertTrue(SpecJson.namesPath(e.getMessage(), path),
            "should name " + path + ": " + e.getMessage());
        assertNoSecrets(e, SpecCall.exampleSecrets());
        assertNoSecrets(e, otherSecrets);
      });
    }
  }
}

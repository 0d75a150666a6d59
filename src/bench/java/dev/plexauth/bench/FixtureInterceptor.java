package dev.plexauth.bench;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Answers in memory, as Plex does: the fixture for the request's path with {@code 200} and {@code
 * Content-Type: application/json}, {@code 401} without the right {@code X-Plex-Token}, {@code 404}
 * elsewhere. The same instance answers the SDK and the raw client, so both pay the same for it.
 * Immutable and thread-safe.
 */
public final class FixtureInterceptor implements Interceptor {
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  @Override
  public Response intercept(Chain chain) {
    Request request = chain.request();
    Response.Builder response =
        new Response.Builder().request(request).protocol(Protocol.HTTP_1_1);
    if (!Fixtures.TOKEN.equals(request.header("X-Plex-Token"))) {
      return response.code(401).message("Unauthorized")
          .body(ResponseBody.create(new byte[0], null)).build();
    }
    byte[] answer = Fixtures.answerFor(request.url().encodedPath());
    if (answer == null) {
      return response.code(404).message("Not Found")
          .body(ResponseBody.create(new byte[0], null)).build();
    }
    return response.code(200).message("OK")
        .header("Content-Type", JSON.toString())
        .body(ResponseBody.create(answer, JSON))
        .build();
  }
}

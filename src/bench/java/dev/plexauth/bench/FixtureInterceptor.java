package dev.plexauth.bench;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Answers in memory, as Plex does: the fixture for the request's path with {@code 200} and {@code
 * Content-Type: application/json}, {@code 401} without the right {@code X-Plex-Token}, {@code 404}
 * elsewhere. The same instance answers every side, so all pay the same for it. Immutable and
 * thread-safe.
 *
 * <p>The answer's body is a {@link FixtureBody}, which clears its buffer when closed, as OkHttp's
 * socket source does. {@code ResponseBody.create(byte[], ...)} does not: its buffer keeps what the
 * reader left (a JSON reader leaves the fixture's final newline), so the pooled 8 KiB okio segment
 * holding it was never returned and every call on every side allocated a new one. That charged
 * each side about 8.2 KB per call that no network call costs, and hid the clients' own leaks.
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
        .body(new FixtureBody(answer))
        .build();
  }

  /** A JSON body in memory that, like a socket's, gives its buffer back when closed. */
  static final class FixtureBody extends ResponseBody {
    private final Buffer buffer;
    private final long length;

    FixtureBody(byte[] answer) {
      this.buffer = new Buffer().write(answer);
      this.length = answer.length;
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public BufferedSource source() {
      return buffer;
    }

    /** Clears what is left unread, which returns its segments to okio's pool. */
    @Override
    public void close() {
      buffer.clear();
    }
  }
}

package dev.plexauth.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

/**
 * Cuts the body of every answer outside 2xx to a bounded prefix, and ends it where the server
 * stops or fails mid-body, keeping what arrived. Not part of the API. Immutable and thread-safe.
 *
 * <p>Why: Retrofit reads an error body whole, into memory, inside the call; a hostile or broken
 * server could send it without end, or stall or reset in the middle of it. Bounded here, the body
 * Retrofit hands on is at most {@link #MAX_READ_BYTES}, and a failure while reading it is not
 * mistaken for a failure before any answer (which would be retried). Installed as an application
 * interceptor, so it sees the final answer after redirects.
 */
public final class ErrorBodyLimit implements Interceptor {
  /** The most of an error body kept for the caller, in characters. */
  public static final int MAX_KEPT_CHARS = 16 * 1024;
  /** Read this far, a margin past the kept length, so that redaction sees whole tokens. */
  public static final int MAX_READ_BYTES = MAX_KEPT_CHARS + 1024;

  /** The shared instance; it holds no state. */
  public static final ErrorBodyLimit INSTANCE = new ErrorBodyLimit();

  private ErrorBodyLimit() {}

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    ResponseBody body = response.body();
    if (response.isSuccessful() || body == null) {
      return response;
    }
    Source bounded = new ForwardingSource(body.source()) {
      private long remaining = MAX_READ_BYTES;

      @Override
      public long read(Buffer sink, long byteCount) {
        if (remaining <= 0) {
          return -1;
        }
        try {
          long read = super.read(sink, Math.min(byteCount, remaining));
          remaining = read < 0 ? 0 : remaining - read;
          return read;
        } catch (IOException e) {
          // What arrived is the body: a stall or reset mid-body ends it.
          remaining = 0;
          return -1;
        }
      }
    };
    ResponseBody cut = ResponseBody.create(Okio.buffer(bounded), body.contentType(), -1L);
    return response.newBuilder().body(cut).build();
  }
}

package dev.plexauth.internal;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.jspecify.annotations.Nullable;

/**
 * Hands every answer on with a body that knows its parsed {@code Content-Type}, and cuts the body
 * of every answer outside 2xx to a bounded prefix, ending it where the server stops or fails
 * mid-body and keeping what arrived. Not part of the API. Thread-safe; one per client.
 *
 * <p>Why bounded: Retrofit reads an error body whole, into memory, inside the call; a hostile or
 * broken server could send it without end, or stall or reset in the middle of it. Bounded here,
 * the body Retrofit hands on is at most {@link #MAX_READ_BYTES}, and a failure while reading it is
 * not mistaken for a failure before any answer (which would be retried). Why the parsed type:
 * OkHttp's body parses the header anew (a regex, about a kilobyte) on every {@code contentType()}
 * call, and Retrofit and the SDK ask for it on every answer; a server sends the same header each
 * time, so the last parse is reused. {@link PlexInterceptor} applies it to the final answer,
 * after redirects.
 */
public final class AnswerBodies {
  /** The most of an error body kept for the caller, in characters. */
  public static final int MAX_KEPT_CHARS = 16 * 1024;
  /** Read this far, a margin past the kept length, so that redaction sees whole tokens. */
  public static final int MAX_READ_BYTES = MAX_KEPT_CHARS + 1024;

  /** The last Content-Type parsed; racing threads may each replace it, with equal values. */
  private volatile @Nullable ParsedType lastType;

  /** One per client, made by {@link PlexInterceptor}. */
  AnswerBodies() {}

  /**
   * The answer with its body handed on as described above.
   *
   * @param response the final answer
   * @return the answer to hand on
   */
  Response handOn(Response response) {
    ResponseBody body = response.body();
    if (body == null) {
      return response;
    }
    MediaType type = mediaType(response.header("Content-Type"));
    ResponseBody handedOn = response.isSuccessful()
        ? new Body(type, body.contentLength(), body.source())
        : new Body(type, -1L, Okio.buffer(new Bounded(body.source())));
    return response.newBuilder().body(handedOn).build();
  }

  private @Nullable MediaType mediaType(@Nullable String header) {
    if (header == null) {
      return null;
    }
    ParsedType last = lastType;
    if (last != null && last.header.equals(header)) {
      return last.type;
    }
    MediaType type = MediaType.parse(header);
    lastType = new ParsedType(header, type);
    return type;
  }

  /** A Content-Type header and its parse (null when it does not parse). */
  private static final class ParsedType {
    final String header;
    final @Nullable MediaType type;

    ParsedType(String header, @Nullable MediaType type) {
      this.header = header;
      this.type = type;
    }
  }

  /** A body whose type is parsed once; closing it closes the connection's source. */
  private static final class Body extends ResponseBody {
    private final @Nullable MediaType type;
    private final long length;
    private final BufferedSource source;

    Body(@Nullable MediaType type, long length, BufferedSource source) {
      this.type = type;
      this.length = length;
      this.source = source;
    }

    @Override
    public @Nullable MediaType contentType() {
      return type;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public BufferedSource source() {
      return source;
    }
  }

  /** At most {@link #MAX_READ_BYTES}; a failure mid-body ends it. */
  private static final class Bounded extends ForwardingSource {
    private long remaining = MAX_READ_BYTES;

    Bounded(BufferedSource delegate) {
      super(delegate);
    }

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
  }
}

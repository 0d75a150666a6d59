package dev.plexauth;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.internal.TokenMasking;
import dev.plexauth.model.PlexError;
import dev.plexauth.model.PlexErrors;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import retrofit2.Converter;

/**
 * Turns an OkHttp response into a decoded body or an exception of the {@link PlexException} tree:
 * the one place where statuses, content types and failures are mapped.
 *
 * <p>Bodies are read with a size bound, so an oversized answer fails cleanly instead of being held
 * whole in memory; every body is closed.
 */
final class Responses {
  /** The most of an error body kept in {@link PlexHttpException#body()}, in characters. */
  static final int MAX_ERROR_BODY_CHARS = 16 * 1024;
  /** The largest success body decoded, in bytes; real answers are a few kilobytes. */
  static final long MAX_SUCCESS_BODY_BYTES = 4L * 1024 * 1024;

  /** Read past the kept length of an error body, so that redaction sees whole tokens. */
  private static final int REDACTION_MARGIN = 1024;
  /** Tokens shorter than this are not searched for: they would match ordinary words. */
  private static final int MIN_REDACTED_TOKEN_LENGTH = 6;
  /** Decoder messages (JSON paths) longer than this are cut. */
  private static final int MAX_DETAIL_LENGTH = 300;
  private static final String REDACTED = "<redacted>";

  private final String token;
  private final JsonAdapter<PlexErrors> errorsAdapter = PlexMoshi.moshi().adapter(PlexErrors.class);

  private final String encodedToken;

  private final Clock clock;

  Responses(String token, Clock clock) {
    this.token = token;
    this.clock = clock;
    this.encodedToken = URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  /**
   * Returns the decoded 2xx body, or throws the exception that the response maps to.
   *
   * @throws PlexException for every failure; the response is closed in all cases
   */
  <T> T decode(Response response, Converter<ResponseBody, T> converter) {
    try (response) {
      int code = response.code();
      if (code < 200 || code >= 300) {
        throw httpFailure(response);
      }
      ResponseBody body = response.body();
      String contentType = response.header("Content-Type");
      if (code == 204 || code == 205 || body == null) {
        throw new PlexDecodingException(
            describe(response) + " has no body (HTTP " + code + "); expected a JSON Media Container",
            code, contentType, null);
      }
      Buffer bytes = readBounded(response, body.source(), MAX_SUCCESS_BODY_BYTES);
      if (bytes.size() == 0) {
        throw decodingFailure(response, "has an empty body", null);
      }
      // Parsed once: OkHttp parses the Content-Type header again on every contentType() call.
      MediaType type = body.contentType();
      if (!isJson(type, bytes)) {
        throw decodingFailure(response, notJsonReason(type, bytes), null);
      }
      T value;
      try {
        value = converter.convert(ResponseBody.create(bytes, type, bytes.size()));
      } catch (JsonDataException | JsonEncodingException | EOFException e) {
        throw decodingFailure(response, "is not the expected JSON: " + detail(e), e);
      } catch (IOException e) {
        throw decodingFailure(response, "could not be decoded: " + detail(e), e);
      }
      if (value == null) {
        throw decodingFailure(response, "is JSON null", null);
      }
      return value;
    }
  }

  /** A 2xx body that decoded but lacks a required value. */
  PlexDecodingException missing(Response response, String what) {
    return decodingFailure(response, "lacks " + what, null);
  }

  /** A failure before any usable response. */
  PlexIoException ioFailure(Request request, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : redact(e.getMessage());
    return new PlexIoException(
        describe(request) + " failed: " + reason,
        redacted(e));
  }

  /**
   * The failure itself when its message holds no token, else a copy with the token masked: OkHttp
   * quotes a malformed status line, which a hostile server can fill with a token, and a logged
   * stack trace prints the cause's message.
   */
  private IOException redacted(IOException e) {
    String message = e.getMessage();
    if (message == null || message.equals(redact(message))) {
      return e;
    }
    IOException copy = e instanceof ProtocolException
        ? new ProtocolException(redact(message))
        : new IOException(redact(message));
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private PlexHttpException httpFailure(Response response) {
    int code = response.code();
    String body = "";
    List<PlexError> errors = List.of();
    ResponseBody responseBody = response.body();
    if (responseBody != null) {
      try {
        // Read a margin past the limit and redact before cutting, so that a token straddling
        // the cut cannot survive as a prefix.
        Buffer bytes = readUpTo(responseBody.source(), MAX_ERROR_BODY_CHARS + REDACTION_MARGIN);
        String text = redact(bytes.readString(StandardCharsets.UTF_8));
        errors = parseErrors(text);
        body = text.length() > MAX_ERROR_BODY_CHARS ? text.substring(0, MAX_ERROR_BODY_CHARS) : text;
      } catch (IOException e) {
        body = "";
      }
    }
    String message = describe(response) + " answered HTTP " + code + reasonOf(response, errors)
        + redirectNote(response);
    Duration retryAfter = RetryPolicy.retryAfter(response, clock);
    if (code == 401 || code == 403) {
      return new PlexUnauthorizedException(
          message + ": the token is missing, unknown, expired, or may not call this operation",
          code, response.headers(), body, errors, retryAfter);
    }
    return new PlexHttpException(message, code, response.headers(), body, errors, retryAfter);
  }

  /** Redirects reach here only when they leave the configured server (see SameOriginRedirects). */
  private static String redirectNote(Response response) {
    if (response.code() < 300 || response.code() >= 400) {
      return "";
    }
    String location = response.header("Location");
    HttpUrl target = location == null ? null : response.request().url().resolve(location);
    return target == null
        ? ": a redirect without a usable Location"
        : ": a redirect to " + origin(target) + " is not followed, so that the token stays with"
            + " the configured server; configure that URL as the base URL if it is the server";
  }

  private List<PlexError> parseErrors(String body) {
    String trimmed = body.trim();
    if (!trimmed.startsWith("{")) {
      return List.of();
    }
    try {
      PlexErrors parsed = errorsAdapter.fromJson(trimmed);
      if (parsed == null) {
        return List.of();
      }
      List<PlexError> errors = new ArrayList<>(parsed.errors());
      errors.removeIf(Objects::isNull);
      return errors;
    } catch (IOException | RuntimeException e) {
      // Not plex.tv's error shape: the raw body is still kept.
      return List.of();
    }
  }

  private String reasonOf(Response response, List<PlexError> errors) {
    if (!errors.isEmpty() && errors.get(0).message() != null) {
      return " (" + redact(errors.get(0).message()) + ")";
    }
    // The reason phrase is the server's free text: it is redacted like the body.
    return response.message().isEmpty() ? "" : " (" + redact(response.message()) + ")";
  }

  private PlexDecodingException decodingFailure(Response response, String what, Throwable cause) {
    return new PlexDecodingException(
        describe(response) + " answered HTTP " + response.code() + " but the body " + redact(what),
        response.code(), response.header("Content-Type"), cause);
  }

  private Buffer readBounded(Response response, BufferedSource source, long limit) {
    try {
      Buffer buffer = readUpTo(source, limit + 1);
      if (buffer.size() > limit) {
        throw decodingFailure(response, "is larger than " + limit + " bytes", null);
      }
      return buffer;
    } catch (IOException e) {
      throw ioFailure(response.request(), e);
    }
  }

  private static Buffer readUpTo(BufferedSource source, long limit) throws IOException {
    Buffer buffer = new Buffer();
    while (buffer.size() < limit) {
      long read = source.read(buffer, Math.min(8192, limit - buffer.size()));
      if (read == -1) {
        break;
      }
    }
    return buffer;
  }

  private static boolean isJson(MediaType type, Buffer bytes) {
    if (type != null && "json".equals(type.subtype())) {
      return true;
    }
    if (type != null && type.subtype().endsWith("+json")) {
      return true;
    }
    // Some proxies drop or rewrite the content type: trust a body that starts like JSON.
    byte first = firstNonSpace(bytes);
    return (type == null || "text".equals(type.type()) && "plain".equals(type.subtype()))
        && (first == '{' || first == '[');
  }

  private static String notJsonReason(MediaType type, Buffer bytes) {
    byte first = firstNonSpace(bytes);
    String subtype = type == null ? "" : type.subtype().toLowerCase(Locale.ROOT);
    if (subtype.contains("xml") || (type == null && first == '<' && startsWithXml(bytes))) {
      return "is XML, not JSON: PMS answers XML when the request lacks exactly "
          + "'Accept: application/json'; a proxy probably dropped or changed that header";
    }
    if (subtype.contains("html") || first == '<') {
      return "is HTML, not JSON: the URL probably points at a web page or proxy, not at PMS";
    }
    return "is not JSON (Content-Type " + (type == null ? "absent" : type.toString()) + ")";
  }

  private static boolean startsWithXml(Buffer bytes) {
    String head = bytes.snapshot(Math.toIntExact(Math.min(bytes.size(), 64))).utf8().trim();
    return head.startsWith("<?xml") || head.startsWith("<MediaContainer");
  }

  private static byte firstNonSpace(Buffer bytes) {
    for (long i = 0; i < bytes.size() && i < 1024; i++) {
      byte b = bytes.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != (byte) 0xEF
          && b != (byte) 0xBB && b != (byte) 0xBF) {
        return b;
      }
    }
    return 0;
  }

  private String redact(String text) {
    String result = text;
    if (token.length() >= MIN_REDACTED_TOKEN_LENGTH) {
      result = result.replace(token, REDACTED).replace(encodedToken, REDACTED);
    }
    return TokenMasking.TRANSIENT_TOKEN.matcher(result).replaceAll(REDACTED);
  }

  private static String detail(Exception e) {
    String message = String.valueOf(e.getMessage());
    return message.length() <= MAX_DETAIL_LENGTH
        ? message
        : message.substring(0, MAX_DETAIL_LENGTH) + "...";
  }

  /** After a same-origin redirect the path is the server's choice: it is redacted too. */
  private String describe(Response response) {
    return describe(response.request());
  }

  private String describe(Request request) {
    return request.method() + " " + redact(request.url().encodedPath()) + " on "
        + origin(request.url());
  }

  private static String origin(HttpUrl url) {
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.scheme() + "://" + host + ":" + url.port();
  }
}

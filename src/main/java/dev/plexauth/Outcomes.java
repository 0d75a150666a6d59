package dev.plexauth;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import dev.plexauth.internal.AnswerBodies;
import dev.plexauth.internal.ControlCharacters;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.internal.Redaction;
import dev.plexauth.model.PlexError;
import dev.plexauth.model.PlexErrors;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import retrofit2.Converter;

/**
 * Turns what Retrofit's call gave (an answer, or an {@link IOException} before any) into the
 * decoded body or an exception of the {@link PlexException} tree: the one place where statuses,
 * content types and failures are mapped, for every operation alike.
 *
 * <p>Success bodies arrive unread (the generated interfaces are {@code @Streaming}) and are read
 * here with a size bound, so an oversized answer fails cleanly instead of being held whole in
 * memory; error bodies arrive already cut by {@link AnswerBodies}. Every
 * body is closed. Every text taken from the answer passes the one redaction rule.
 */
final class Outcomes {
  /** Where a caller whose https call failed its certificate checks should look first. */
  private static final String PLEX_DIRECT_HINT = ": PMS's certificates name its plex.direct"
      + " hosts: connect by its https://<ip-with-dashes>.<hash>.plex.direct:<port> URI, as a"
      + " source's connection information gives it (see docs/TLS.md in plex-auth's repository)";

  /** The most of an error body kept in {@link PlexHttpException#body()}, in characters. */
  static final int MAX_ERROR_BODY_CHARS = AnswerBodies.MAX_KEPT_CHARS;
  /** How OkHttp's message for a malformed status line starts; the line follows. */
  private static final String UNEXPECTED_STATUS_LINE = "Unexpected status line: ";
  /** The largest success body decoded, in bytes; real answers are a few kilobytes. */
  static final long MAX_SUCCESS_BODY_BYTES = 4L * 1024 * 1024;

  /** Decoder messages (JSON paths) longer than this are cut. */
  private static final int MAX_DETAIL_LENGTH = 300;

  private final Redaction redaction;
  private final RetryPolicy.WallClock clock;

  Outcomes(Redaction redaction, RetryPolicy.WallClock clock) {
    this.redaction = redaction;
    this.clock = clock;
  }

  /**
   * Returns the decoded 2xx body, or throws the exception that the answer maps to.
   *
   * @throws PlexException for every failure; the body is closed in all cases
   */
  <T> T decode(retrofit2.Response<ResponseBody> answer, Converter<ResponseBody, T> converter) {
    Response response = answer.raw();
    ResponseBody body = answer.isSuccessful() ? answer.body() : answer.errorBody();
    try {
      int code = response.code();
      if (code < 200 || code >= 300) {
        throw httpFailure(response, body);
      }
      String contentType = response.header("Content-Type");
      if (body == null) {
        throw new PlexDecodingException(
            describe(response) + " has no body (HTTP " + code + "); expected a JSON Media Container",
            code, contentType, null);
      }
      Buffer bytes = readBounded(response, body.source(), MAX_SUCCESS_BODY_BYTES);
      if (bytes.size() == 0) {
        throw decodingFailure(response, "is empty", null);
      }
      MediaType type = body.contentType();
      if (!isJson(type, bytes)) {
        throw decodingFailure(response, notJsonReason(type, contentType, bytes), null);
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
      // What the decoder left (a final newline) goes back to okio's segment pool: a dropped
      // partly-read segment would cost every call a new 8 KiB one.
      bytes.clear();
      return value;
    } finally {
      if (body != null) {
        body.close();
      }
    }
  }

  /** A failure before any usable response. */
  PlexIoException ioFailure(Request request, IOException e) {
    return new PlexIoException(
        describe(request) + " failed: " + reason(request, e),
        redacted(e));
  }

  /**
   * What went wrong, in words a caller can act on: the texts of okio's gzip checks and of the JDK's
   * certificate checks are translated, others are shown as OkHttp gave them (on one line).
   */
  private String reason(Request request, IOException e) {
    String message = e.getMessage();
    if (message == null) {
      return e instanceof EOFException
          ? "the answer ended before it was complete (" + e.getClass().getSimpleName() + ")"
          : e.getClass().getSimpleName();
    }
    if (isGzipCheck(message) || e.getCause() instanceof DataFormatException) {
      return "the answer says it is gzip-compressed (Content-Encoding: gzip) but its body is not"
          + " valid gzip; a proxy may have damaged it";
    }
    if (message.startsWith("Expected leading [0-9a-fA-F] character")
        || message.startsWith("expected chunk size and optional extensions")) {
      return "the answer's chunked transfer encoding is malformed (not a chunk size where one"
          + " belongs); a proxy may have damaged it";
    }
    if (e instanceof SSLPeerUnverifiedException && message.startsWith("Hostname ")) {
      return "the server's certificate does not name " + request.url().host() + PLEX_DIRECT_HINT
          + " (" + shown(oneLine(message)) + ")";
    }
    if (e instanceof SSLHandshakeException && isUntrusted(e)) {
      return "the server's certificate is not trusted (no trusted certificate authority issued it)"
          + PLEX_DIRECT_HINT + "; a server with a certificate of its own needs it trusted in the"
          + " OkHttpClient";
    }
    return shown(oneLine(message));
  }

  /** okio's GzipSource names the check that failed: {@code ID1ID2: actual 0x... != ...}. */
  private static boolean isGzipCheck(String message) {
    return message.startsWith("ID1ID2: actual") || message.startsWith("FHCRC: actual")
        || message.startsWith("CRC: actual") || message.startsWith("ISIZE: actual")
        || message.startsWith("gzip finished without exhausting source")
        // okio's InflaterSource, when the compressed data ends too soon.
        || message.equals("source exhausted prematurely");
  }

  /** A certificate chain that leads to no trusted authority (the JDK's "PKIX path" failures). */
  private static boolean isUntrusted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertPathValidatorException
          || t.getClass().getName().endsWith("CertPathBuilderException")
          || String.valueOf(t.getMessage()).contains("PKIX path")
          || String.valueOf(t.getMessage()).contains("Trust anchor for certification path")) {
        return true;
      }
    }
    return false;
  }

  /** OkHttp's hostname message spans lines (the certificate's names, indented). */
  private static String oneLine(String text) {
    return text.replaceAll("\\s*\n\\s*", " ").trim();
  }

  /**
   * The failure itself when its message holds no token and no control character, else a copy of
   * the same type with the token masked and the control characters escaped: OkHttp quotes a
   * malformed status line and a certificate's names, which a hostile server can fill with a token
   * or an escape sequence, and a logged stack trace prints the cause's message. Line breaks are
   * kept: OkHttp's own messages use them.
   */
  private IOException redacted(IOException e) {
    String message = e.getMessage();
    if (message == null) {
      return e;
    }
    String kept = message.startsWith(UNEXPECTED_STATUS_LINE)
        ? shown(message)
        : ControlCharacters.escapeKeepingLines(redact(message));
    if (kept.equals(message)) {
      return e;
    }
    IOException copy = e instanceof ProtocolException ? new ProtocolException(kept)
        : e instanceof SSLPeerUnverifiedException ? new SSLPeerUnverifiedException(kept)
        : e instanceof SSLHandshakeException ? new SSLHandshakeException(kept)
        : new IOException(kept);
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /**
   * A failure's message as shown: redacted, and without the text of a malformed status line,
   * which OkHttp quotes whole. The server chose all of that line, so a secret in it (an {@code
   * x-secret} value has no name beside it there) would escape every rule.
   */
  private String shown(String message) {
    return message.startsWith(UNEXPECTED_STATUS_LINE)
        ? UNEXPECTED_STATUS_LINE + "(not shown: its text is the server's, and may hold a secret)"
        : ControlCharacters.escape(redact(message));
  }

  private PlexHttpException httpFailure(Response response, @Nullable ResponseBody responseBody) {
    int code = response.code();
    String body = "";
    List<PlexError> errors = Collections.emptyList();
    if (responseBody != null) {
      try {
        // AnswerBodies kept a margin past the limit: redact before cutting, so that a token
        // straddling the cut cannot survive as a prefix.
        Buffer bytes = readUpTo(responseBody.source(), AnswerBodies.MAX_READ_BYTES);
        String text = redact(bytes.readString(StandardCharsets.UTF_8));
        errors = parseErrors(text);
        body = text.length() > MAX_ERROR_BODY_CHARS ? text.substring(0, MAX_ERROR_BODY_CHARS) : text;
      } catch (IOException e) {
        body = "";
      }
    }
    String message = describe(response) + " answered HTTP " + code + reasonOf(response, errors)
        + redirectNote(response);
    long retryAfter = RetryPolicy.retryAfterMillis(response, clock);
    Headers headers = redaction.headers(response.headers());
    if (code == 401 || code == 403) {
      return new PlexUnauthorizedException(
          message + ": the token is missing, unknown, expired, or may not call this operation",
          code, headers, body, errors, retryAfter);
    }
    return new PlexHttpException(message, code, headers, body, errors, retryAfter);
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
      return Collections.emptyList();
    }
    try {
      // Looked up here, not at start-up: only error answers need it (Moshi caches it).
      PlexErrors parsed = PlexMoshi.moshi().adapter(PlexErrors.class).fromJson(trimmed);
      return parsed == null ? Collections.<PlexError>emptyList() : parsed.errors();
    } catch (IOException | RuntimeException e) {
      // Not plex.tv's error shape (or an entry that breaks it): the raw body is still kept.
      return Collections.emptyList();
    }
  }

  private String reasonOf(Response response, List<PlexError> errors) {
    if (!errors.isEmpty() && errors.get(0).message() != null) {
      return " (" + redact(errors.get(0).message()) + ")";
    }
    // The reason phrase is the server's free text: it is redacted like the body.
    return response.message().isEmpty() ? "" : " (" + redact(response.message()) + ")";
  }

  private PlexDecodingException decodingFailure(Response response, String what,
      @Nullable Throwable cause) {
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

  private static boolean isJson(@Nullable MediaType type, Buffer bytes) {
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

  private static String notJsonReason(@Nullable MediaType type, @Nullable String header,
      Buffer bytes) {
    byte first = firstNonSpace(bytes);
    String subtype = type == null ? "" : type.subtype().toLowerCase(Locale.ROOT);
    if (subtype.contains("xml") || (type == null && first == '<' && startsWithXml(bytes))) {
      return "is XML, not JSON: PMS answers XML when the request lacks exactly "
          + "'Accept: application/json'; a proxy probably dropped or changed that header";
    }
    if (subtype.contains("html") || first == '<') {
      return "is HTML, not JSON: the URL probably points at a web page or proxy, not at PMS";
    }
    return "is not JSON (Content-Type " + (type != null ? type.toString()
        : header == null ? "absent" : header + ", which is not one") + ")";
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
    return redaction.text(text);
  }

  private static String detail(Exception e) {
    // Moshi's advice is for the code that owns the JsonReader, which an SDK caller does not.
    String message = String.valueOf(e.getMessage())
        .replace("Use JsonReader.setLenient(true) to accept malformed JSON", "malformed JSON");
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

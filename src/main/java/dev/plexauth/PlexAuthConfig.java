package dev.plexauth;

import dev.plexauth.internal.Redaction;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.logging.HttpLoggingInterceptor;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import org.jspecify.annotations.Nullable;

/**
 * The validated, immutable settings of a {@link PlexAuthClient}. Validation happens here, before
 * any request, and every message names the argument and the problem (never its value when the
 * argument is a token).
 */
final class PlexAuthConfig {
  static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
  static final long DEFAULT_READ_TIMEOUT_MILLIS = 30_000;
  static final long DEFAULT_WRITE_TIMEOUT_MILLIS = 30_000;
  static final long DEFAULT_CALL_TIMEOUT_MILLIS = 60_000;

  /**
   * A builder's span set from a null {@link Duration}. Spans are kept in nanoseconds, so that the
   * API-21 forms ({@code long, TimeUnit}) and the java.time ones share one check, at build time.
   */
  static final long NULL_DURATION = Long.MIN_VALUE;

  /** A builder's span set with a null {@link TimeUnit}. */
  static final long NULL_UNIT = Long.MIN_VALUE + 1;

  /** The longest span accepted: OkHttp keeps timeouts as an int of milliseconds. */
  private static final long MAX_SPAN_NANOS = TimeUnit.MILLISECONDS.toNanos(Integer.MAX_VALUE);

  /** The shortest caller's token accepted; Plex's own have 20 characters. */
  static final int MIN_TOKEN_LENGTH = 16;
  /**
   * The longest identity header value (client identifier, product, device name...), in characters:
   * real ones are a UUID or a few words, and servers refuse requests whose headers exceed a few
   * kilobytes, an answer that would blame the server for the caller's setting.
   */
  static final int MAX_HEADER_VALUE_LENGTH = 1024;

  /** More retries than this would only hide an outage (and mint tokens). */
  static final int MAX_RETRIES = 10;

  /** The builder setters of the identity headers, in the order of {@link #IDENTITY_HEADERS}. */
  static final String[] IDENTITY_SETTERS = {
    "product", "version", "platform", "platformVersion", "device", "deviceName", "model",
    "deviceVendor"
  };

  /** The optional identity headers, in the order the builder's setters are documented. */
  static final String[] IDENTITY_HEADERS = {
    "X-Plex-Product", "X-Plex-Version", "X-Plex-Platform", "X-Plex-Platform-Version",
    "X-Plex-Device", "X-Plex-Device-Name", "X-Plex-Model", "X-Plex-Device-Vendor"
  };

  private final HttpUrl baseUrl;
  /** Null only for a client that holds no token at all (a probe of a source's connection). */
  private final @Nullable String token;
  private final Map<String, String> identityHeaders;
  private final long connectTimeoutMillis;
  private final long readTimeoutMillis;
  private final long writeTimeoutMillis;
  private final long callTimeoutMillis;
  private final @Nullable OkHttpClient okHttpClient;
  private final int maxRetries;
  private final long retryDelayMillis;
  private final long maxRetryDelayMillis;
  private final HttpLoggingInterceptor.Level logLevel;
  private final HttpLoggingInterceptor.Logger logger;
  private final RetryScheduler scheduler;
  private final RetryPolicy.WallClock clock;
  private final @Nullable Interceptor wireObserver;
  private final @Nullable Interceptor transport;

  PlexAuthConfig(PlexAuthClient.Builder b) {
    this.baseUrl = checkBaseUrl(b.baseUrl);
    this.token = b.withoutToken ? null : checkToken(b.token);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Plex-Client-Identifier", checkHeaderValue("clientIdentifier", b.clientIdentifier));
    for (int i = 0; i < IDENTITY_HEADERS.length; i++) {
      if (b.identity[i] != null) {
        headers.put(IDENTITY_HEADERS[i], checkHeaderValue(IDENTITY_SETTERS[i], b.identity[i]));
      }
    }
    this.identityHeaders = Collections.unmodifiableMap(headers);
    this.connectTimeoutMillis = checkSpan("connectTimeout", b.connectTimeoutNanos);
    this.readTimeoutMillis = checkSpan("readTimeout", b.readTimeoutNanos);
    this.writeTimeoutMillis = checkSpan("writeTimeout", b.writeTimeoutNanos);
    this.callTimeoutMillis = checkSpan("callTimeout", b.callTimeoutNanos);
    this.okHttpClient = b.okHttpClient;
    if (b.maxRetries < 0 || b.maxRetries > MAX_RETRIES) {
      throw new IllegalArgumentException("maxRetries must be 0 to " + MAX_RETRIES);
    }
    this.maxRetries = b.maxRetries;
    this.retryDelayMillis = checkSpan("retryDelay", b.retryDelayNanos);
    this.maxRetryDelayMillis = checkSpan("maxRetryDelay", b.maxRetryDelayNanos);
    if (retryDelayMillis > maxRetryDelayMillis) {
      throw new IllegalArgumentException("retryDelay (" + retryDelayMillis + " ms, "
          + RetryPolicy.DEFAULT_RETRY_DELAY_MILLIS + " unless set) must not exceed maxRetryDelay ("
          + maxRetryDelayMillis + " ms)");
    }
    this.logLevel = Objects.requireNonNull(b.logLevel, "logLevel must not be null");
    this.logger = b.logger != null ? b.logger : HttpLoggingInterceptor.Logger.DEFAULT;
    this.scheduler = b.scheduler;
    this.clock = b.clock;
    this.wireObserver = b.wireObserver;
    this.transport = b.transport;
  }

  HttpUrl baseUrl() {
    return baseUrl;
  }

  @Nullable String token() {
    return token;
  }

  String clientIdentifier() {
    return identityHeaders.get("X-Plex-Client-Identifier");
  }

  Map<String, String> identityHeaders() {
    return identityHeaders;
  }

  @Nullable String identityValue(String header) {
    return identityHeaders.get(header);
  }

  long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  long readTimeoutMillis() {
    return readTimeoutMillis;
  }

  long writeTimeoutMillis() {
    return writeTimeoutMillis;
  }

  long callTimeoutMillis() {
    return callTimeoutMillis;
  }

  @Nullable OkHttpClient okHttpClient() {
    return okHttpClient;
  }

  int maxRetries() {
    return maxRetries;
  }

  long retryDelayMillis() {
    return retryDelayMillis;
  }

  long maxRetryDelayMillis() {
    return maxRetryDelayMillis;
  }

  HttpLoggingInterceptor.Level logLevel() {
    return logLevel;
  }

  HttpLoggingInterceptor.Logger logger() {
    return logger;
  }

  RetryScheduler scheduler() {
    return scheduler;
  }

  RetryPolicy.WallClock clock() {
    return clock;
  }

  @Nullable Interceptor wireObserver() {
    return wireObserver;
  }

  @Nullable Interceptor transport() {
    return transport;
  }

  /** Parses a base URL string, naming the problem without echoing anything that could be secret. */
  static HttpUrl parseBaseUrl(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl must not be null");
    if (baseUrl.trim().isEmpty()) {
      throw new IllegalArgumentException("baseUrl must not be blank");
    }
    String trimmed = baseUrl;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      // HttpUrl silently drops tabs, line breaks and outer spaces; a URL containing them is a
      // mistake, not something to repair.
      if (isSpaceOrControl(c)) {
        throw new IllegalArgumentException(
            "baseUrl must not contain whitespace or control characters (found at index " + i + ")");
      }
    }
    if (!trimmed.regionMatches(true, 0, "http://", 0, 7)
        && !trimmed.regionMatches(true, 0, "https://", 0, 8)) {
      throw new IllegalArgumentException("baseUrl must start with http:// or https://");
    }
    if (trimmed.matches("(?i)https?:///.*")) {
      throw new IllegalArgumentException("baseUrl must name a host");
    }
    HttpUrl parsed = HttpUrl.parse(trimmed);
    if (parsed == null) {
      throw new IllegalArgumentException("baseUrl must be a valid http(s) URL");
    }
    return checkBaseUrl(parsed);
  }

  /**
   * Checks a base URL and adds the trailing slash Retrofit needs.
   *
   * @throws IllegalArgumentException if it has a query, fragment or user info
   */
  static HttpUrl checkBaseUrl(@Nullable HttpUrl url) {
    Objects.requireNonNull(url, "baseUrl must not be null");
    if (url.query() != null) {
      throw new IllegalArgumentException(
          "baseUrl must not have a query (the token goes in the X-Plex-Token header, never the URL)");
    }
    if (url.fragment() != null) {
      throw new IllegalArgumentException("baseUrl must not have a fragment");
    }
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      throw new IllegalArgumentException("baseUrl must not carry a user name or password");
    }
    // Retrofit resolves the generated relative paths against the base URL: without the trailing
    // slash a path prefix such as https://host/plex would be dropped.
    String path = url.encodedPath();
    return path.endsWith("/") ? url : url.newBuilder().encodedPath(path + "/").build();
  }

  private static String checkToken(@Nullable String token) {
    Objects.requireNonNull(token, "token must not be null");
    if (token.trim().isEmpty()) {
      throw new IllegalArgumentException("token must not be blank");
    }
    if (token.length() < MIN_TOKEN_LENGTH) {
      // Redaction masks the caller's token wherever it appears: a short one ("security",
      // "127.0.0.1") would also match the SDK's own text (a path, a host) and mask it. No real
      // Plex token is shorter than 20 characters, and 16 random ones match nothing by chance.
      throw new IllegalArgumentException("token must have at least " + MIN_TOKEN_LENGTH
          + " characters (a Plex token has 20; a shorter value is not one)");
    }
    int bad = firstNonTokenChar(token);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "token must not contain whitespace, control or non-ASCII characters (found at index "
              + bad + ")");
    }
    return token;
  }

  /**
   * The rule for any Plex token, the caller's or one a server hands out: printable ASCII without
   * spaces.
   *
   * @return the index of the first character that breaks it, or -1
   */
  static int firstNonTokenChar(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Checks a header value: not blank, at most {@link #MAX_HEADER_VALUE_LENGTH} characters,
   * printable ASCII only (no CR/LF or other controls).
   */
  static String checkHeaderValue(String name, @Nullable String value) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.trim().isEmpty()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    if (value.length() > MAX_HEADER_VALUE_LENGTH) {
      throw new IllegalArgumentException(name + " must be at most " + MAX_HEADER_VALUE_LENGTH
          + " characters (it is sent as an HTTP header; found " + value.length() + ")");
    }
    if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
      // OkHttp trims header values, so what was sent would differ from what was set.
      throw new IllegalArgumentException(name + " must not start or end with a space");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            name + " must contain printable ASCII characters only (it is sent as an HTTP header); "
                + "found a control or non-ASCII character at index " + i);
      }
    }
    return value;
  }

  /** Whitespace of any kind (also NBSP, U+2028) and control characters (also C1, U+0085). */
  private static boolean isSpaceOrControl(char c) {
    return c <= ' ' || Character.isISOControl(c) || Character.isWhitespace(c)
        || Character.isSpaceChar(c) || c == '\u200b' || c == '\ufeff';
  }

  /**
   * A span as a builder keeps it: in nanoseconds, negative amounts as -1, saturated at the top.
   *
   * @return the nanoseconds, or {@link #NULL_UNIT} when {@code unit} is null
   */
  static long nanos(long amount, TimeUnit unit) {
    if (unit == null) {
      return NULL_UNIT;
    }
    return amount < 0 ? -1 : unit.toNanos(amount);
  }

  /**
   * A {@link Duration} as a builder keeps it (see {@link #nanos(long, TimeUnit)}). Needs Android
   * API 26 or core library desugaring, as do the builder's {@code Duration} forms that call it.
   *
   * @return the nanoseconds, or {@link #NULL_DURATION} when {@code duration} is null
   */
  @IgnoreJRERequirement
  static long nanos(Duration duration) {
    if (duration == null) {
      return NULL_DURATION;
    }
    if (duration.isNegative()) {
      return -1;
    }
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Checks a span kept by {@link #nanos(long, TimeUnit)} or {@link #nanos(Duration)}.
   *
   * @return the span in whole milliseconds
   */
  static long checkSpan(String name, long nanos) {
    if (nanos == NULL_DURATION) {
      throw new NullPointerException(name + " must not be null");
    }
    if (nanos == NULL_UNIT) {
      throw new NullPointerException(name + "'s unit must not be null");
    }
    if (nanos < 0) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    if (nanos > MAX_SPAN_NANOS) {
      throw new IllegalArgumentException(
          name + " must be at most about 24 days (Integer.MAX_VALUE ms)");
    }
    if (nanos != 0 && nanos < 1_000_000) {
      // OkHttp counts whole milliseconds; below one it would mean "no timeout at all".
      throw new IllegalArgumentException(name + " must be zero (none) or at least 1 ms");
    }
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Describes the settings without the token. */
  @Override
  public String toString() {
    return "baseUrl=" + baseUrl + ", clientIdentifier=" + clientIdentifier()
        + ", callTimeout=" + callTimeoutMillis + "ms, token=" + Redaction.MASK;
  }
}

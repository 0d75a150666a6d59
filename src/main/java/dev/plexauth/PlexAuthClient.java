package dev.plexauth;

import dev.plexauth.internal.Redaction;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.logging.HttpLoggingInterceptor;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import org.jspecify.annotations.Nullable;

/**
 * A client for the operations of a Plex Media Server (PMS) that {@code openapi/plex-auth.yaml}
 * describes. Each operation is a method named after its operationId, generated from the spec:
 * {@code <operationId>(required parameters in spec order)} returns the answer's Media Container
 * (or what the spec's {@code x-unwrap} names), {@code <operationId>Async(...)} a {@code
 * CompletableFuture} of it, with overloads for optional parameters and without required ones that
 * allow a single value. {@code generated-README.md} lists them.
 *
 * <pre>{@code
 * PlexAuthClient client = PlexAuthClient.builder()
 *     .baseUrl("http://192.168.1.10:32400")
 *     .token(System.getenv("PLEX_TOKEN"))
 *     .clientIdentifier("3f0c2a5e-...")
 *     .build();
 * }</pre>
 *
 * <p>Arguments are checked against the spec before anything is sent ({@link NullPointerException}
 * or {@link IllegalArgumentException} naming the parameter and the rule). Every request carries
 * {@code X-Plex-Token} (never in the URL), {@code X-Plex-Client-Identifier}, the configured
 * identity headers and {@code Accept: application/json}; those go only to the configured server's
 * scheme, host and port. Redirects are followed only within that origin; a redirect elsewhere
 * (including https to http) is not followed and fails as a {@link PlexHttpException} with its 3xx
 * status. Answers are never cached, even when a caller's OkHttpClient has a cache. Every failure is
 * a {@link PlexException} (see its table).
 *
 * <p>Immutable and thread-safe: create one per server and token, and share it. A client whose
 * {@link OkHttpClient} it created itself owns that client's threads and connections; {@link
 * #close()} releases them. Calls block the calling thread (do not call the synchronous methods on
 * Android's main thread); the {@code Async} variants do not.
 */
public final class PlexAuthClient extends PlexAuthOperations implements AutoCloseable {
  private final PlexAuthConfig config;
  private final PlexTransport transport;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PlexAuthClient(PlexAuthConfig config) {
    this(config, new PlexTransport(config));
  }

  private PlexAuthClient(PlexAuthConfig config, PlexTransport transport) {
    super(transport.retrofit());
    this.config = config;
    this.transport = transport;
  }

  /**
   * Starts building a client.
   *
   * @return a new builder with the defaults documented on its methods, never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts building a client with this client's settings, to change some of them.
   *
   * @return a new builder holding this client's settings, never null
   */
  public Builder newBuilder() {
    return new Builder(config);
  }

  /**
   * Releases the dispatcher threads and the connections of the OkHttpClient this client created.
   *
   * <p>Asynchronous calls still queued complete at once with a {@link PlexIoException} (on the
   * calling thread, since the dispatcher has stopped); calls already running finish, and their
   * connections close when they do; a call waiting to retry ends at once with the answer or
   * failure it would have retried, and no attempt starts after closing. Calls made after
   * closing throw {@link IllegalStateException} and send nothing. Idempotent. A client built with a
   * caller's {@link Builder#okHttpClient(OkHttpClient)} shares that client's pool and dispatcher,
   * which stay the caller's to manage: then this only refuses further calls.
   *
   * <p>Close a client you are done with when clients come and go (per server or per token) and in
   * short programs that made asynchronous calls: OkHttp's dispatcher threads would otherwise keep
   * the JVM alive for up to a minute. One client kept for the application's life needs no closing.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      transport.close();
    }
  }

  /**
   * A client with this client's settings for another server (a connection of a source), sharing
   * this client's OkHttpClient (its pool and dispatcher, which the new client never owns or
   * closes).
   *
   * @param baseUrl the other server's base URL, already checked
   * @param token the token that belongs to that server; null for a client that holds none (a
   *     probe: then there is no token to leak, whatever becomes of a request's tags)
   * @param timeoutMillis when not 0, every timeout of the new client (a probe's); else this
   *     client's timeouts
   */
  PlexAuthClient derived(HttpUrl baseUrl, @Nullable String token, long timeoutMillis) {
    checkOpen();
    Builder builder = new Builder(config).okHttpClient(transport.base());
    builder.baseUrl = baseUrl;
    builder.token = token;
    builder.withoutToken = token == null;
    if (timeoutMillis != 0) {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      builder.connectTimeoutNanos = nanos;
      builder.readTimeoutNanos = nanos;
      builder.writeTimeoutNanos = nanos;
      builder.callTimeoutNanos = nanos;
      // A probe is one attempt: a candidate that fails now is not the one to use.
      builder.maxRetries = 0;
    }
    return builder.build();
  }

  /**
   * Throws as every call of a closed client does; for the helpers of this package.
   *
   * @throws IllegalStateException if the client is closed
   */
  void checkOpen() {
    transport.checkOpen();
  }

  /**
   * Runs a task on OkHttp's dispatcher threads, where the client delivers its callbacks (on the
   * calling thread once the dispatcher has stopped).
   */
  void dispatch(Runnable task) {
    transport.dispatch(task);
  }

  /** Describes the client without its token. */
  @Override
  public String toString() {
    return "PlexAuthClient{" + config + "}";
  }

  /**
   * Builds a {@link PlexAuthClient}. Setters return the builder; {@link #build()} validates
   * everything and fails fast. Not thread-safe; the client it builds is.
   */
  public static final class Builder {
    @Nullable HttpUrl baseUrl;
    @Nullable String token;
    /** For probes: a client that holds no token at all (then {@link #token} stays null). */
    boolean withoutToken;
    @Nullable String clientIdentifier;
    final @Nullable String[] identity = new String[PlexAuthConfig.IDENTITY_HEADERS.length];
    // Spans in nanoseconds (see PlexAuthConfig.nanos), checked by build().
    long connectTimeoutNanos = millis(PlexAuthConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS);
    long readTimeoutNanos = millis(PlexAuthConfig.DEFAULT_READ_TIMEOUT_MILLIS);
    long writeTimeoutNanos = millis(PlexAuthConfig.DEFAULT_WRITE_TIMEOUT_MILLIS);
    long callTimeoutNanos = millis(PlexAuthConfig.DEFAULT_CALL_TIMEOUT_MILLIS);
    @Nullable OkHttpClient okHttpClient;
    int maxRetries = RetryPolicy.DEFAULT_MAX_RETRIES;
    long retryDelayNanos = millis(RetryPolicy.DEFAULT_RETRY_DELAY_MILLIS);
    long maxRetryDelayNanos = millis(RetryPolicy.DEFAULT_MAX_RETRY_DELAY_MILLIS);
    HttpLoggingInterceptor.Level logLevel = HttpLoggingInterceptor.Level.NONE;
    HttpLoggingInterceptor.@Nullable Logger logger;
    RetryScheduler scheduler = RetryScheduler.SYSTEM;
    RetryPolicy.WallClock clock = RetryPolicy.WallClock.SYSTEM;
    @Nullable Interceptor wireObserver;
    @Nullable Interceptor transport;

    Builder() {}

    Builder(PlexAuthConfig config) {
      this.baseUrl = config.baseUrl();
      this.token = config.token();
      this.clientIdentifier = config.clientIdentifier();
      for (int i = 0; i < identity.length; i++) {
        identity[i] = config.identityValue(PlexAuthConfig.IDENTITY_HEADERS[i]);
      }
      this.connectTimeoutNanos = millis(config.connectTimeoutMillis());
      this.readTimeoutNanos = millis(config.readTimeoutMillis());
      this.writeTimeoutNanos = millis(config.writeTimeoutMillis());
      this.callTimeoutNanos = millis(config.callTimeoutMillis());
      this.okHttpClient = config.okHttpClient();
      this.maxRetries = config.maxRetries();
      this.retryDelayNanos = millis(config.retryDelayMillis());
      this.maxRetryDelayNanos = millis(config.maxRetryDelayMillis());
      this.logLevel = config.logLevel();
      this.logger = config.logger();
      this.scheduler = config.scheduler();
      this.clock = config.clock();
      this.wireObserver = config.wireObserver();
      this.transport = config.transport();
    }

    /**
     * Sets the server's base URL, for example {@code http://192.168.1.10:32400} or, behind a
     * reverse proxy, {@code https://host/plex}. Required.
     *
     * <p>http or https only, with no query, fragment or user info; a missing trailing slash is
     * added, and a path prefix is kept. For https to PMS use its {@code
     * <ip-with-dashes>.<hash>.plex.direct} name: its certificate does not cover the bare IP.
     *
     * @param baseUrl the URL; not null
     * @return this builder
     * @throws NullPointerException if {@code baseUrl} is null
     * @throws IllegalArgumentException if it is not an absolute http(s) URL, or has whitespace,
     *     control characters, a query, a fragment or user info
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = PlexAuthConfig.parseBaseUrl(baseUrl);
      return this;
    }

    /**
     * Sets the server's base URL, as {@link #baseUrl(String)}.
     *
     * @param baseUrl the URL; not null
     * @return this builder
     * @throws NullPointerException if {@code baseUrl} is null
     * @throws IllegalArgumentException if it has a query, fragment or user info
     */
    public Builder baseUrl(HttpUrl baseUrl) {
      this.baseUrl =
          PlexAuthConfig.checkBaseUrl(Objects.requireNonNull(baseUrl, "baseUrl must not be null"));
      return this;
    }

    /**
     * Sets the caller's Plex token, sent as the {@code X-Plex-Token} header to the configured
     * server only, never in a URL, never logged. Required; printable ASCII without whitespace, at
     * least 16 characters (Plex tokens have 20).
     *
     * @param token the token; not null
     * @return this builder
     */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * Sets {@code X-Plex-Client-Identifier}: an opaque id unique to this install and stable across
     * runs (a new id each run shows the owner a new device each time). Required; printable ASCII,
     * at most 1024 characters, as every identity setting.
     *
     * @param clientIdentifier the id, for example a UUID stored with the app's settings
     * @return this builder
     */
    public Builder clientIdentifier(String clientIdentifier) {
      this.clientIdentifier = clientIdentifier;
      return this;
    }

    /**
     * Sets {@code X-Plex-Product}, the app's name shown to the owner. Optional; null unsets it.
     *
     * @param product printable ASCII, not blank
     * @return this builder
     */
    public Builder product(@Nullable String product) {
      return identity(0, product);
    }

    /**
     * Sets {@code X-Plex-Version}, the app's version. Optional; null unsets it.
     *
     * @param version printable ASCII, not blank
     * @return this builder
     */
    public Builder version(@Nullable String version) {
      return identity(1, version);
    }

    /**
     * Sets {@code X-Plex-Platform}, for example {@code Android}. Optional; null unsets it.
     *
     * @param platform printable ASCII, not blank
     * @return this builder
     */
    public Builder platform(@Nullable String platform) {
      return identity(2, platform);
    }

    /**
     * Sets {@code X-Plex-Platform-Version}. Optional; null unsets it.
     *
     * @param platformVersion printable ASCII, not blank
     * @return this builder
     */
    public Builder platformVersion(@Nullable String platformVersion) {
      return identity(3, platformVersion);
    }

    /**
     * Sets {@code X-Plex-Device}, the kind of device. Optional; null unsets it.
     *
     * @param device printable ASCII, not blank
     * @return this builder
     */
    public Builder device(@Nullable String device) {
      return identity(4, device);
    }

    /**
     * Sets {@code X-Plex-Device-Name}, the device's name shown to the owner. Optional; null
     * unsets it.
     *
     * @param deviceName printable ASCII, not blank
     * @return this builder
     */
    public Builder deviceName(@Nullable String deviceName) {
      return identity(5, deviceName);
    }

    /**
     * Sets {@code X-Plex-Model}. Optional; null unsets it.
     *
     * @param model printable ASCII, not blank
     * @return this builder
     */
    public Builder model(@Nullable String model) {
      return identity(6, model);
    }

    /**
     * Sets {@code X-Plex-Device-Vendor}. Optional; null unsets it.
     *
     * @param deviceVendor printable ASCII, not blank
     * @return this builder
     */
    public Builder deviceVendor(@Nullable String deviceVendor) {
      return identity(7, deviceVendor);
    }

    /**
     * Sets the TCP connect timeout. Default 10 seconds; zero means none.
     *
     * @param timeout not negative; zero, or at least 1 ms and at most {@link Integer#MAX_VALUE}
     *     milliseconds (about 24 days); kept in whole milliseconds
     * @param unit the unit of {@code timeout}, not null
     * @return this builder
     */
    public Builder connectTimeout(long timeout, TimeUnit unit) {
      this.connectTimeoutNanos = PlexAuthConfig.nanos(timeout, unit);
      return this;
    }

    /**
     * Sets the TCP connect timeout, as {@link #connectTimeout(long, TimeUnit)}. Needs Android API 26 ({@code
     * java.time}) or core library desugaring.
     *
     * @param timeout not null, not negative, within the range of {@link #connectTimeout(long,
     *     TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeoutNanos = PlexAuthConfig.nanos(timeout);
      return this;
    }

    /**
     * Sets the longest wait between two reads of the answer. Default 30 seconds; zero means none.
     *
     * @param timeout not negative; zero, or at least 1 ms and at most {@link Integer#MAX_VALUE}
     *     milliseconds (about 24 days); kept in whole milliseconds
     * @param unit the unit of {@code timeout}, not null
     * @return this builder
     */
    public Builder readTimeout(long timeout, TimeUnit unit) {
      this.readTimeoutNanos = PlexAuthConfig.nanos(timeout, unit);
      return this;
    }

    /**
     * Sets the longest wait between two reads of the answer, as {@link #readTimeout(long, TimeUnit)}. Needs Android API 26 ({@code
     * java.time}) or core library desugaring.
     *
     * @param timeout not null, not negative, within the range of {@link #readTimeout(long,
     *     TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder readTimeout(Duration timeout) {
      this.readTimeoutNanos = PlexAuthConfig.nanos(timeout);
      return this;
    }

    /**
     * Sets the longest wait between two writes of the request. Default 30 seconds; zero means none.
     *
     * @param timeout not negative; zero, or at least 1 ms and at most {@link Integer#MAX_VALUE}
     *     milliseconds (about 24 days); kept in whole milliseconds
     * @param unit the unit of {@code timeout}, not null
     * @return this builder
     */
    public Builder writeTimeout(long timeout, TimeUnit unit) {
      this.writeTimeoutNanos = PlexAuthConfig.nanos(timeout, unit);
      return this;
    }

    /**
     * Sets the longest wait between two writes of the request, as {@link #writeTimeout(long, TimeUnit)}. Needs Android API 26 ({@code
     * java.time}) or core library desugaring.
     *
     * @param timeout not null, not negative, within the range of {@link #writeTimeout(long,
     *     TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeoutNanos = PlexAuthConfig.nanos(timeout);
      return this;
    }

    /**
     * Sets the limit for a whole call, from connecting to reading the last byte, retries and the waits between them included. Default 60 seconds; zero means none.
     *
     * @param timeout not negative; zero, or at least 1 ms and at most {@link Integer#MAX_VALUE}
     *     milliseconds (about 24 days); kept in whole milliseconds
     * @param unit the unit of {@code timeout}, not null
     * @return this builder
     */
    public Builder callTimeout(long timeout, TimeUnit unit) {
      this.callTimeoutNanos = PlexAuthConfig.nanos(timeout, unit);
      return this;
    }

    /**
     * Sets the limit for a whole call, from connecting to reading the last byte, retries and the waits between them included, as {@link #callTimeout(long, TimeUnit)}. Needs Android API 26 ({@code
     * java.time}) or core library desugaring.
     *
     * @param timeout not null, not negative, within the range of {@link #callTimeout(long,
     *     TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder callTimeout(Duration timeout) {
      this.callTimeoutNanos = PlexAuthConfig.nanos(timeout);
      return this;
    }

    /**
     * Uses the caller's OkHttpClient as the base (its connection pool, dispatcher, DNS, TLS trust,
     * proxy and interceptors), derived with {@link OkHttpClient#newBuilder()}; the timeouts set
     * here replace its own. The caller keeps ownership: {@link PlexAuthClient#close()} leaves it
     * open. Default: a new OkHttpClient owned by the built client.
     *
     * @param okHttpClient the base client, or null for a new one
     * @return this builder
     */
    public Builder okHttpClient(@Nullable OkHttpClient okHttpClient) {
      this.okHttpClient = okHttpClient;
      return this;
    }

    /**
     * Sets how often a failed call is tried again: after a failure before any response, or a 429,
     * 502, 503 or 504 answer. Default 2; 0 disables retries; at most 10. Each retry sends the
     * request again: an operation that mints a transient token may mint another one. Outside this
     * count, a request that fails on a reused pooled connection before any answer (a connection the
     * server dropped while idle) is sent again at once on another connection, once for each dead
     * pooled connection it meets.
     *
     * @param maxRetries 0 to 10
     * @return this builder
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Sets the first retry's delay; each later one doubles it, with jitter (a random point in the
     * second half of the delay). Default 500 ms.
     *
     * @param retryDelay not negative, zero or at least 1 ms, at most {@link #maxRetryDelay(long,
     *     TimeUnit)}
     * @param unit the unit of {@code retryDelay}, not null
     * @return this builder
     */
    public Builder retryDelay(long retryDelay, TimeUnit unit) {
      this.retryDelayNanos = PlexAuthConfig.nanos(retryDelay, unit);
      return this;
    }

    /**
     * Sets the first retry's delay, as {@link #retryDelay(long, TimeUnit)}. Needs Android API 26
     * ({@code java.time}) or core library desugaring.
     *
     * @param retryDelay not null, within the range of {@link #retryDelay(long, TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder retryDelay(Duration retryDelay) {
      this.retryDelayNanos = PlexAuthConfig.nanos(retryDelay);
      return this;
    }

    /**
     * Sets the longest wait before a retry, computed or asked for by the server's {@code
     * Retry-After}; an answer asking for longer is not retried, and its exception's {@link
     * PlexHttpException#retryAfterMillis()} tells how long. Default 30 seconds. All retries of a
     * call also stay within its {@link #callTimeout(long, TimeUnit)}.
     *
     * @param maxRetryDelay not negative, zero or at least 1 ms, at most {@link Integer#MAX_VALUE}
     *     milliseconds
     * @param unit the unit of {@code maxRetryDelay}, not null
     * @return this builder
     */
    public Builder maxRetryDelay(long maxRetryDelay, TimeUnit unit) {
      this.maxRetryDelayNanos = PlexAuthConfig.nanos(maxRetryDelay, unit);
      return this;
    }

    /**
     * Sets the longest wait before a retry, as {@link #maxRetryDelay(long, TimeUnit)}. Needs
     * Android API 26 ({@code java.time}) or core library desugaring.
     *
     * @param maxRetryDelay not null, within the range of {@link #maxRetryDelay(long, TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder maxRetryDelay(Duration maxRetryDelay) {
      this.maxRetryDelayNanos = PlexAuthConfig.nanos(maxRetryDelay);
      return this;
    }

    /**
     * Sets how much of each HTTP exchange is logged, with OkHttp's logging interceptor: {@code
     * NONE} (the default), {@code BASIC}, {@code HEADERS} or {@code BODY}. At every level the
     * {@code X-Plex-Token} header is redacted, and the caller's token, transient tokens and the
     * values of {@code token} and {@code accessToken} in bodies are masked. {@code BODY} holds
     * each body in memory to log it.
     *
     * @param logLevel not null
     * @return this builder
     */
    public Builder logLevel(HttpLoggingInterceptor.Level logLevel) {
      this.logLevel = logLevel;
      return this;
    }

    /**
     * Sets where log lines go (see {@link #logLevel(HttpLoggingInterceptor.Level)}). Default:
     * OkHttp's platform logger. Called from the threads that run the calls.
     *
     * @param logger the sink, or null for the default
     * @return this builder
     */
    public Builder logger(HttpLoggingInterceptor.@Nullable Logger logger) {
      this.logger = logger;
      return this;
    }

    /** For tests: replaces the waits between retries. */
    Builder scheduler(RetryScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * For tests: an interceptor that sees each request exactly as sent (after the Plex headers)
     * and each answer as received, for example to check both against the spec.
     */
    Builder wireObserver(@Nullable Interceptor wireObserver) {
      this.wireObserver = wireObserver;
      return this;
    }

    /**
     * For benchmarks and tests: an interceptor that answers every request in place of the network
     * (in memory). The SDK's network interceptors then run as the last application interceptors,
     * just before it, so that every interceptor of the SDK still runs; OkHttp's own bridge,
     * connection and codec steps do not (nor do they for a raw OkHttp call answered the same way).
     */
    Builder transport(@Nullable Interceptor transport) {
      this.transport = transport;
      return this;
    }

    /** For tests: the clock that reads HTTP-date Retry-After values. */
    Builder clock(RetryPolicy.WallClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Validates the settings and builds the client. Nothing is sent.
     *
     * @return a new immutable, thread-safe client
     * @throws NullPointerException if the base URL, token or client identifier was not set, or a
     *     duration, a time unit or the log level is null
     * @throws IllegalArgumentException if a value is blank, malformed, contains control
     *     characters, an identity value is longer than 1024 characters, or a duration or retry
     *     count is out of range; the message names the setting
     */
    public PlexAuthClient build() {
      return new PlexAuthClient(new PlexAuthConfig(this));
    }

    private static long millis(long millis) {
      return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private Builder identity(int index, @Nullable String value) {
      identity[index] = value;
      return this;
    }

    /** Describes the settings without the token. */
    @Override
    public String toString() {
      return "PlexAuthClient.Builder{baseUrl=" + baseUrl + ", clientIdentifier=" + clientIdentifier
          + ", token=" + (token == null ? "null" : Redaction.MASK) + "}";
    }
  }
}

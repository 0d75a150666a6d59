package dev.plexauth;

import dev.plexauth.internal.PlexHeaders;
import dev.plexauth.internal.PlexInterceptor;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.internal.Redaction;
import dev.plexauth.internal.RedactingLogger;
import dev.plexauth.internal.StaleConnections;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.logging.HttpLoggingInterceptor;
import org.jspecify.annotations.Nullable;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;

/**
 * What every call of a {@link PlexAuthClient} runs on, whatever its operation: the OkHttpClient
 * with the SDK's interceptors, the Retrofit that runs the generated interfaces through {@link
 * PlexCallAdapterFactory}, the retry policy and its clock, and the closed state. Immutable but for
 * that state, and thread-safe; set up once per client, nothing per call.
 */
final class PlexTransport {
  private final OkHttpClient okHttpClient;
  /** The caller's OkHttpClient, or the one this created: what derived clients share. */
  private final OkHttpClient base;
  private final boolean ownsOkHttpClient;
  private final Retrofit retrofit;
  private final RetryPolicy retryPolicy;
  private final RetryScheduler scheduler;
  private final Outcomes outcomes;
  private final StaleConnections staleConnections;
  private final long callTimeoutNanos;
  /** The asynchronous calls not yet ended, which close() ends when they are queued or waiting. */
  private final Set<Active> active = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private volatile boolean closed;

  /** An asynchronous call under way, as close() sees it. */
  interface Active {
    /**
     * The client was closed: end at once, on a dispatcher thread, if waiting to retry (a running
     * attempt finishes).
     */
    void clientClosed();
  }

  PlexTransport(PlexAuthConfig config) {
    this.ownsOkHttpClient = config.okHttpClient() == null;
    OkHttpClient base = ownsOkHttpClient ? new OkHttpClient() : config.okHttpClient();
    this.base = base;
    Redaction redaction = Redaction.of(config.token());
    PlexInterceptor plex =
        PlexInterceptor.of(config.baseUrl(), config.token(), config.identityHeaders());
    OkHttpClient.Builder builder =
        base.newBuilder()
            .connectTimeout(config.connectTimeoutMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(config.readTimeoutMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(config.writeTimeoutMillis(), TimeUnit.MILLISECONDS)
            .callTimeout(config.callTimeoutMillis(), TimeUnit.MILLISECONDS)
            // Redirects are followed by SameOriginRedirects only, never to another origin (which
            // would include https -> http, sending the token in clear text).
            .followRedirects(false)
            .followSslRedirects(false)
            // A caller's Cache would key answers without the token (added below, after the
            // cache) and store transient tokens on disk: Plex answers are never cached.
            .cache(null)
            // Retries are the RetryPolicy's: OkHttp would also resend on a 408, on a 503 with
            // Retry-After: 0, and after failures the server may have read, outside maxRetries.
            // The one resend OkHttp makes that is kept, of a request that died on a reused pooled
            // connection before any answer, is StaleConnections' (last network interceptor).
            .retryOnConnectionFailure(false)
            .addInterceptor(plex);
    List<Interceptor> network = new ArrayList<>();
    network.add(plex.network());
    if (config.logLevel() != HttpLoggingInterceptor.Level.NONE) {
      // After the header interceptor, so that the log shows what is really sent.
      HttpLoggingInterceptor logging =
          new HttpLoggingInterceptor(new RedactingLogger(config.logger(), redaction));
      logging.setLevel(config.logLevel());
      logging.redactHeader(PlexHeaders.TOKEN_HEADER);
      network.add(logging);
    }
    if (config.wireObserver() != null) {
      network.add(config.wireObserver());
    }
    // Last, next to the socket: it must see the answer's headers arrive, before any logging
    // interceptor reads the body.
    this.staleConnections = plex.staleConnections();
    network.add(staleConnections);
    if (config.transport() == null) {
      for (Interceptor interceptor : network) {
        builder.addNetworkInterceptor(interceptor);
      }
    } else {
      // In memory (benchmarks, tests): the same interceptors, then the answer instead of a socket.
      for (Interceptor interceptor : network) {
        builder.addInterceptor(interceptor);
      }
      builder.addInterceptor(config.transport());
    }
    this.okHttpClient = builder.build();
    this.retryPolicy = new RetryPolicy(config.maxRetries(), config.retryDelayMillis(),
        config.maxRetryDelayMillis(), config.clock());
    this.scheduler = config.scheduler();
    this.callTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.callTimeoutMillis());
    this.outcomes = new Outcomes(redaction, config.clock());
    // Retrofit builds each request from the generated interface and runs it; the call adapter
    // hands every outcome to Outcomes, the one place that maps it.
    this.retrofit =
        new Retrofit.Builder()
            .baseUrl(config.baseUrl())
            .client(okHttpClient)
            .addCallAdapterFactory(new PlexCallAdapterFactory(this))
            .addConverterFactory(MoshiConverterFactory.create(PlexMoshi.moshi()))
            .build();
  }

  Retrofit retrofit() {
    return retrofit;
  }

  /**
   * The OkHttpClient this transport was derived from (the caller's, or the one this created):
   * clients for a source's connections are derived from it too, so they share its connection pool
   * and dispatcher, and never own them.
   */
  OkHttpClient base() {
    return base;
  }

  RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  Outcomes outcomes() {
    return outcomes;
  }

  boolean closed() {
    return closed;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this PlexAuthClient is closed");
    }
  }

  /** When a call started now must end, in {@link System#nanoTime()} terms; MAX_VALUE for never. */
  long deadline() {
    return callTimeoutNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + callTimeoutNanos;
  }

  /**
   * The delay, or {@link RetryPolicy#FINAL} when there is none or waiting it would pass the call's
   * deadline.
   */
  static long fitting(long delayNanos, long deadline) {
    if (delayNanos == RetryPolicy.FINAL || deadline == Long.MAX_VALUE) {
      return delayNanos;
    }
    return delayNanos < deadline - System.nanoTime() ? delayNanos : RetryPolicy.FINAL;
  }

  /** Blocks before a synchronous retry; an interrupt ends the call as a PlexIoException. */
  void pause(Request request, long delayNanos) {
    try {
      scheduler.sleep(delayNanos);
    } catch (InterruptedIOException e) {
      throw outcomes.ioFailure(request, e);
    }
  }

  /** Runs an asynchronous retry after the delay, without blocking any thread. */
  void later(long delayNanos, Runnable task) {
    try {
      scheduler.after(delayNanos).execute(task);
    } catch (RuntimeException e) {
      // A rejected schedule (JVM shutting down) must not lose the outcome: run the retry now.
      task.run();
    }
  }

  /** Runs a task on OkHttp's dispatcher threads, where asynchronous outcomes are delivered. */
  void dispatch(Runnable task) {
    try {
      okHttpClient.dispatcher().executorService().execute(task);
    } catch (RejectedExecutionException e) {
      // A closed client's dispatcher takes nothing more: deliver on this thread.
      task.run();
    }
  }

  void track(Active call) {
    active.add(call);
  }

  void untrack(Active call) {
    active.remove(call);
  }

  /**
   * Refuses further calls, ends the asynchronous calls waiting to retry (on dispatcher threads),
   * lets running attempts finish, and releases an owned OkHttpClient's threads and connections.
   */
  void close() {
    closed = true;
    staleConnections.close();
    for (Active call : active) {
      call.clientClosed(); // before an owned dispatcher stops, which then runs what it hands over
    }
    if (ownsOkHttpClient) {
      okHttpClient.dispatcher().executorService().shutdown();
      // Calls still in OkHttp's queue would be refused only when a running call ends and makes
      // room: make room now, so the stopped executor refuses them at once (OkHttp then fails each
      // with "executor rejected", on this thread, and sends nothing).
      okHttpClient.dispatcher().setMaxRequests(Integer.MAX_VALUE);
      okHttpClient.dispatcher().setMaxRequestsPerHost(Integer.MAX_VALUE);
      okHttpClient.connectionPool().evictAll();
    }
  }

  /** A call that ran across close() returns its connection afterwards: close that one too. */
  void afterCall() {
    if (closed && ownsOkHttpClient) {
      okHttpClient.connectionPool().evictAll();
    }
  }
}

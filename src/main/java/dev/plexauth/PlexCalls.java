package dev.plexauth;

import dev.plexauth.api.SecurityApi;
import dev.plexauth.internal.OkHttpRetryGuard;
import dev.plexauth.internal.PlexHeadersInterceptor;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.internal.RedactingLogger;
import dev.plexauth.internal.RequestCapture;
import dev.plexauth.internal.SameOriginRedirects;
import dev.plexauth.internal.UncheckedToIo;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.SourceConnectionInformationContainer;
import dev.plexauth.model.SourceConnectionInformationResponse;
import dev.plexauth.model.TransientToken;
import dev.plexauth.model.TransientTokenResponse;
import dev.plexauth.model.TransientTokenScope;
import dev.plexauth.model.TransientTokenType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.logging.HttpLoggingInterceptor;
import retrofit2.Converter;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;

/**
 * The machinery behind {@link PlexAuthClient}: builds requests with the generated Retrofit
 * interface, executes them on OkHttp, and checks what came back. Immutable and thread-safe; all of
 * it is set up once per client, nothing per call.
 */
final class PlexCalls {
  private final OkHttpClient okHttpClient;
  private final boolean ownsOkHttpClient;
  private final RetryPolicy retryPolicy;
  private final RetryScheduler scheduler;
  private final long callTimeoutNanos;
  private volatile boolean closed;
  private final SecurityApi api;
  private final Responses responses;
  private final Converter<ResponseBody, TransientTokenResponse> tokenConverter;
  private final Converter<ResponseBody, SourceConnectionInformationResponse> sourceConverter;
  /**
   * The transient-token requests by [type][scope]: they take no caller input, so Retrofit builds
   * each once here instead of on every call (where parsing the relative URL and encoding the query
   * cost more than the rest of an in-memory call). OkHttp requests are immutable.
   */
  private final Request[][] tokenRequests;
  /**
   * getSourceConnectionInformation as Retrofit builds it from the generated interface, without its
   * query: each call adds only its query parameters, encoded as Retrofit encodes a {@code @Query}
   * (HttpUrl.Builder.addQueryParameter), instead of having Retrofit resolve the relative URL and
   * build the request again. RequestBuildingTest checks that both give the same request. Made on
   * first use, so that a client that never asks for a source does not pay for it at start-up.
   */
  private volatile Request sourceTemplate;

  PlexCalls(PlexAuthConfig config) {
    this.ownsOkHttpClient = config.okHttpClient() == null;
    OkHttpClient base = ownsOkHttpClient ? new OkHttpClient() : config.okHttpClient();
    OkHttpClient.Builder builder =
        base.newBuilder()
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.readTimeout())
            .writeTimeout(config.writeTimeout())
            .callTimeout(config.callTimeout())
            // Redirects are followed by SameOriginRedirects only, never to another origin (which
            // would include https -> http, sending the token in clear text).
            .followRedirects(false)
            .followSslRedirects(false)
            // A caller's Cache would key answers without the token (added below, after the
            // cache) and store transient tokens on disk: Plex answers are never cached.
            .cache(null)
            // Retries are the RetryPolicy's alone: OkHttp would also resend on a 408, on a 503
            // with Retry-After: 0, and on a dropped pooled connection, outside maxRetries.
            .retryOnConnectionFailure(false)
            .addInterceptor(UncheckedToIo.INSTANCE)
            .addInterceptor(OkHttpRetryGuard.RESTORE)
            .addInterceptor(new SameOriginRedirects(config.baseUrl()))
            .addInterceptor(
                new PlexHeadersInterceptor(
                    config.baseUrl(), config.token(), config.identityHeaders()));
    List<Interceptor> network = new ArrayList<>();
    network.add(OkHttpRetryGuard.HIDE);
    network.add(PlexHeadersInterceptor.originGuard(config.baseUrl()));
    if (config.logLevel() != HttpLoggingInterceptor.Level.NONE) {
      // After the header interceptor, so that the log shows what is really sent.
      HttpLoggingInterceptor logging =
          new HttpLoggingInterceptor(new RedactingLogger(config.logger(), config.token()));
      logging.setLevel(config.logLevel());
      logging.redactHeader(PlexHeadersInterceptor.TOKEN_HEADER);
      network.add(logging);
    }
    if (config.wireObserver() != null) {
      network.add(config.wireObserver());
    }
    if (config.transport() == null) {
      network.forEach(builder::addNetworkInterceptor);
    } else {
      // In memory (benchmarks, tests): the same interceptors, then the answer instead of a socket.
      network.forEach(builder::addInterceptor);
      builder.addInterceptor(config.transport());
    }
    this.okHttpClient = builder.build();
    this.retryPolicy = new RetryPolicy(config.maxRetries(), config.retryDelay(),
        config.maxRetryDelay(), config.clock());
    this.scheduler = config.scheduler();
    this.callTimeoutNanos = config.callTimeout().toNanos();
    // Retrofit only builds the requests (path, query, Accept) from the generated interface; the
    // calls run here so that one place sees status, headers and body together (see Responses).
    Retrofit retrofit =
        new Retrofit.Builder()
            .baseUrl(config.baseUrl())
            .callFactory(RequestCapture.INSTANCE)
            .addConverterFactory(MoshiConverterFactory.create(PlexMoshi.moshi()))
            .build();
    this.api = retrofit.create(SecurityApi.class);
    this.responses = new Responses(config.token(), config.clock());
    Annotation[] none = new Annotation[0];
    this.tokenConverter = retrofit.responseBodyConverter(TransientTokenResponse.class, none);
    this.sourceConverter =
        retrofit.responseBodyConverter(SourceConnectionInformationResponse.class, none);
    TransientTokenType[] types = TransientTokenType.values();
    TransientTokenScope[] scopes = TransientTokenScope.values();
    this.tokenRequests = new Request[types.length][scopes.length];
    for (TransientTokenType type : types) {
      for (TransientTokenScope scope : scopes) {
        Request built = api.getTransientToken(type, scope).request();
        tokenRequests[type.ordinal()][scope.ordinal()] = untagged(built, built.url());
      }
    }
  }

  /**
   * The request without Retrofit's {@code Invocation} tag, which nothing here reads: an untagged
   * request is cheaper to copy, and every call copies it once (to add the Plex headers).
   *
   * @param url the URL it gets
   */
  private static Request untagged(Request request, HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .headers(request.headers())
        .method(request.method(), request.body())
        .build();
  }

  Request transientTokenRequest(TransientTokenType type, TransientTokenScope scope) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(scope, "scope must not be null");
    return tokenRequests[type.ordinal()][scope.ordinal()];
  }

  Request sourceRequest(String source, Integer refresh) {
    PlexAuthConfig.checkSource(source);
    Request template = sourceTemplate;
    if (template == null) {
      // Racing threads may each build one; they are equal and immutable.
      Request built = api.getSourceConnectionInformation("server://template", null).request();
      template = untagged(built, built.url().newBuilder().query(null).build());
      sourceTemplate = template;
    }
    HttpUrl.Builder url = template.url().newBuilder().addQueryParameter("source", source);
    if (refresh != null) {
      url.addQueryParameter("refresh", refresh.toString());
    }
    return template.newBuilder().url(url.build()).build();
  }

  TransientToken transientToken(Response response) {
    TransientTokenResponse decoded = responses.decode(response, tokenConverter);
    TransientToken container = decoded.mediaContainer();
    if (container == null) {
      throw responses.missing(response, "the MediaContainer object");
    }
    String token = container.token();
    if (token == null || token.isBlank()) {
      throw responses.missing(response, "MediaContainer.token, the transient token");
    }
    if (!isTokenText(token)) {
      throw responses.missing(response, UNUSABLE_TOKEN + "MediaContainer.token");
    }
    return container;
  }

  SourceConnectionInformation source(Response response) {
    SourceConnectionInformationResponse decoded = responses.decode(response, sourceConverter);
    SourceConnectionInformationContainer container = decoded.mediaContainer();
    if (container == null) {
      throw responses.missing(response, "the MediaContainer object");
    }
    SourceConnectionInformation chosen = container.device();
    if (chosen == null) {
      throw responses.missing(response, "MediaContainer.Device, the source's device");
    }
    if (chosen.clientIdentifier() == null) {
      throw responses.missing(response, "MediaContainer.Device.clientIdentifier");
    }
    if (chosen.accessToken() != null && !isTokenText(chosen.accessToken())) {
      throw responses.missing(response, UNUSABLE_TOKEN + "MediaContainer.Device.accessToken");
    }
    if (chosen.connections().contains(null)) {
      throw responses.missing(response, "a usable MediaContainer.Device.Connection entry");
    }
    return chosen;
  }

  /** Runs the call, retrying per the policy within the call timeout, on this thread. */
  private static final String UNUSABLE_TOKEN =
      "a usable token (printable ASCII without spaces; a corrupt or non-UTF-8 body gives others) in ";

  /**
   * Whether a token from the server can be used as one, by the rule the builder applies to the
   * caller's. A body with invalid UTF-8 decodes to U+FFFD, which fails here instead of handing out
   * a token that differs from the server's.
   */
  private static boolean isTokenText(String token) {
    return PlexAuthConfig.firstNonTokenChar(token) < 0;
  }

  <T> T execute(Request request, Function<Response, T> handler) {
    long deadline = deadline();
    for (int retry = 1; ; retry++) {
      Response response;
      try {
        response = newCall(request, deadline).execute();
      } catch (IOException e) {
        Duration delay = closed ? null : fitting(retryPolicy.delayAfter(e, retry), deadline);
        if (delay == null) {
          throw responses.ioFailure(request, e);
        }
        pause(request, delay);
        continue;
      }
      // A closed client finishes the attempt under way but starts no other.
      Duration delay = closed ? null : fitting(retryPolicy.delayAfter(response, retry), deadline);
      if (delay == null) {
        try {
          return handler.apply(response);
        } finally {
          afterCall();
        }
      }
      response.close();
      pause(request, delay);
    }
  }

  /** Runs the call on OkHttp's dispatcher, retrying per the policy; never blocks the caller. */
  <T> CompletableFuture<T> enqueue(Request request, Function<Response, T> handler) {
    CompletableFuture<T> future = new CompletableFuture<>();
    AtomicReference<Call> current = new AtomicReference<>();
    future.whenComplete(
        (value, failure) -> {
          Call call = current.get();
          if (future.isCancelled() && call != null) {
            call.cancel();
          }
        });
    attempt(request, handler, future, current, deadline(), 1);
    return future;
  }

  private <T> void attempt(Request request, Function<Response, T> handler,
      CompletableFuture<T> future, AtomicReference<Call> current, long deadline, int retry) {
    Call call = newCall(request, deadline);
    current.set(call);
    if (future.isCancelled()) {
      return;
    }
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, IOException e) {
            Duration delay = fitting(retryPolicy.delayAfter(e, retry), deadline);
            if (delay == null || future.isDone()) {
              afterCall();
              future.completeExceptionally(responses.ioFailure(request, e));
            } else {
              later(delay, () -> attempt(request, handler, future, current, deadline, retry + 1));
            }
          }

          @Override
          public void onResponse(Call succeeded, Response response) {
            Duration delay = fitting(retryPolicy.delayAfter(response, retry), deadline);
            if (delay != null && !future.isDone()) {
              response.close();
              later(delay, () -> attempt(request, handler, future, current, deadline, retry + 1));
              return;
            }
            T value;
            try {
              value = handler.apply(response);
            } catch (RuntimeException e) {
              response.close();
              afterCall();
              future.completeExceptionally(e);
              return;
            }
            // Release first, so that whoever waits on the future sees the connection closed.
            afterCall();
            future.complete(value);
          }
        });
  }

  private void later(Duration delay, Runnable task) {
    try {
      scheduler.after(delay).execute(task);
    } catch (RuntimeException e) {
      // A rejected schedule (JVM shutting down) must not lose the future: run the retry now.
      task.run();
    }
  }

  private Call newCall(Request request, long deadline) {
    Call call = okHttpClient.newCall(request);
    if (deadline != Long.MAX_VALUE) {
      // Every attempt gets what is left of the one call timeout, so that retries never stretch
      // a call beyond it.
      call.timeout().timeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    return call;
  }

  private long deadline() {
    return callTimeoutNanos == 0 ? Long.MAX_VALUE : System.nanoTime() + callTimeoutNanos;
  }

  /** The delay, or null when there is none or waiting it would pass the call's deadline. */
  private static Duration fitting(Duration delay, long deadline) {
    if (delay == null || deadline == Long.MAX_VALUE) {
      return delay;
    }
    return System.nanoTime() + delay.toNanos() < deadline ? delay : null;
  }

  private void pause(Request request, Duration delay) {
    try {
      scheduler.sleep(delay);
    } catch (InterruptedIOException e) {
      throw responses.ioFailure(request, e);
    }
  }

  void close() {
    closed = true;
    if (ownsOkHttpClient) {
      okHttpClient.dispatcher().executorService().shutdown();
      okHttpClient.connectionPool().evictAll();
    }
  }

  /** A call that ran across close() returns its connection afterwards: close that one too. */
  private void afterCall() {
    if (closed && ownsOkHttpClient) {
      okHttpClient.connectionPool().evictAll();
    }
  }
}

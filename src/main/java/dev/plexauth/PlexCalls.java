package dev.plexauth;

import dev.plexauth.api.SecurityApi;
import dev.plexauth.internal.PlexHeadersInterceptor;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.internal.RequestCapture;
import dev.plexauth.internal.SameOriginRedirects;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.SourceConnectionInformationContainer;
import dev.plexauth.model.SourceConnectionInformationResponse;
import dev.plexauth.model.TransientToken;
import dev.plexauth.model.TransientTokenResponse;
import dev.plexauth.model.TransientTokenScope;
import dev.plexauth.model.TransientTokenType;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
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
  private final SecurityApi api;
  private final Responses responses;
  private final Converter<ResponseBody, TransientTokenResponse> tokenConverter;
  private final Converter<ResponseBody, SourceConnectionInformationResponse> sourceConverter;

  PlexCalls(PlexAuthConfig config) {
    this.ownsOkHttpClient = config.okHttpClient() == null;
    OkHttpClient base = ownsOkHttpClient ? new OkHttpClient() : config.okHttpClient();
    this.okHttpClient =
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
            .addInterceptor(new SameOriginRedirects(config.baseUrl()))
            .addNetworkInterceptor(
                new PlexHeadersInterceptor(
                    config.baseUrl(), config.token(), config.identityHeaders()))
            .build();
    // Retrofit only builds the requests (path, query, Accept) from the generated interface; the
    // calls run here so that one place sees status, headers and body together (see Responses).
    Retrofit retrofit =
        new Retrofit.Builder()
            .baseUrl(config.baseUrl())
            .callFactory(RequestCapture.INSTANCE)
            .addConverterFactory(MoshiConverterFactory.create(PlexMoshi.moshi()))
            .build();
    this.api = retrofit.create(SecurityApi.class);
    this.responses = new Responses(config.token());
    Annotation[] none = new Annotation[0];
    this.tokenConverter = retrofit.responseBodyConverter(TransientTokenResponse.class, none);
    this.sourceConverter =
        retrofit.responseBodyConverter(SourceConnectionInformationResponse.class, none);
  }

  Request transientTokenRequest(TransientTokenType type, TransientTokenScope scope) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(scope, "scope must not be null");
    return api.getTransientToken(type, scope).request();
  }

  Request sourceRequest(String source, Integer refresh) {
    PlexAuthConfig.checkSource(source);
    return api.getSourceConnectionInformation(source, refresh).request();
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
    if (chosen.connections().contains(null)) {
      throw responses.missing(response, "a usable MediaContainer.Device.Connection entry");
    }
    return chosen;
  }

  <T> T execute(Request request, Function<Response, T> handler) {
    Response response;
    try {
      response = okHttpClient.newCall(request).execute();
    } catch (IOException e) {
      throw responses.ioFailure(request, e);
    }
    return handler.apply(response);
  }

  <T> CompletableFuture<T> enqueue(Request request, Function<Response, T> handler) {
    Call call = okHttpClient.newCall(request);
    CompletableFuture<T> future = new CompletableFuture<>();
    future.whenComplete(
        (value, failure) -> {
          if (future.isCancelled()) {
            call.cancel();
          }
        });
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, IOException e) {
            future.completeExceptionally(responses.ioFailure(request, e));
          }

          @Override
          public void onResponse(Call succeeded, Response response) {
            try {
              future.complete(handler.apply(response));
            } catch (RuntimeException e) {
              response.close();
              future.completeExceptionally(e);
            }
          }
        });
    return future;
  }

  void close() {
    if (ownsOkHttpClient) {
      okHttpClient.dispatcher().executorService().shutdown();
      okHttpClient.connectionPool().evictAll();
    }
  }
}

package dev.plexauth.bench;

import com.squareup.moshi.Moshi;
import dev.plexauth.model.PlexModelAdapters;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.SourceConnectionInformationResponse;
import dev.plexauth.model.TransientToken;
import dev.plexauth.model.TransientTokenResponse;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;
import retrofit2.http.GET;
import retrofit2.http.Query;

/**
 * The second baseline: the two operations written by hand with Retrofit and converter-moshi, as a
 * user of that stack would write them without the SDK. A plain Retrofit interface ({@link Api}),
 * {@link MoshiConverterFactory} over a {@link Moshi} with the generated adapters ({@link
 * PlexModelAdapters#FACTORY}: the same models and the same decoding as the SDK and {@link RawPlex}),
 * an application interceptor adding the same headers the others send, {@code call.execute()}, a
 * check of the status and of the value used. None of the SDK's tolerance, retries, redirect rules,
 * size bounds or token checks. Thread-safe.
 *
 * <p>The OkHttp settings are those a careful user gives a client that talks to a Plex server, and
 * they are the SDK's defaults: connect timeout 10 s, read and write timeouts 30 s, and a 60 s call
 * timeout ({@link #okHttpClient()}); everything else is OkHttp's default. The call timeout is the
 * fairness question, since it is not free: each call with one enters okio's timeout queue and, when
 * that queue was empty, wakes okio's watchdog thread. It is given here because the SDK's default
 * has one, and a user who bounds the whole call (the point of the SDK's default) sets it; without
 * it, the SDK's ratio against this side would measure a setting rather than the SDK's code. So the
 * SDK's default figures are compared with this side, setting for setting. {@link RawPlex} keeps
 * OkHttp's defaults, which have no call timeout: the SDK built with {@code
 * callTimeout(Duration.ZERO)} is the figure compared with it like for like.
 */
public final class HandRetrofitPlex {
  /** The timeouts given to {@link #okHttpClient()}: the SDK's defaults. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  /** The generated adapters, as a user of the models would register them: no reflection. */
  private static final Moshi MOSHI = new Moshi.Builder().add(PlexModelAdapters.FACTORY).build();

  /** The two operations, as a user writes them for Retrofit. */
  interface Api {
    @GET("security/token")
    Call<TransientTokenResponse> transientToken(
        @Query("type") String type, @Query("scope") String scope);

    @GET("security/resources")
    Call<SourceConnectionInformationResponse> sourceConnectionInformation(
        @Query("source") String source);
  }

  /** Adds the caller's Plex headers and {@code Accept: application/json} to every request. */
  static final class PlexHeaders implements Interceptor {
    @Override
    public okhttp3.Response intercept(Chain chain) throws IOException {
      Request request = chain.request().newBuilder()
          .header("X-Plex-Token", Fixtures.TOKEN)
          .header("X-Plex-Client-Identifier", Fixtures.CLIENT_IDENTIFIER)
          .header("X-Plex-Product", Fixtures.PRODUCT)
          .header("X-Plex-Version", Fixtures.VERSION)
          .header("Accept", "application/json")
          .build();
      return chain.proceed(request);
    }
  }

  private final Api api;

  /**
   * Creates the client.
   *
   * @param client the OkHttp client that carries the calls, normally from {@link #okHttpClient()}
   * @param server the server's base URL
   */
  public HandRetrofitPlex(OkHttpClient client, HttpUrl server) {
    this.api = new Retrofit.Builder()
        .baseUrl(server)
        .client(client)
        .addConverterFactory(MoshiConverterFactory.create(MOSHI))
        .build()
        .create(Api.class);
  }

  /**
   * The OkHttp client a careful user builds for it: the timeouts named in the class comment, then
   * the header interceptor. Interceptors added to the builder run after it.
   *
   * @return a new builder
   */
  public static OkHttpClient.Builder okHttpClient() {
    return new OkHttpClient.Builder()
        .connectTimeout(CONNECT_TIMEOUT)
        .readTimeout(READ_TIMEOUT)
        .writeTimeout(WRITE_TIMEOUT)
        .callTimeout(CALL_TIMEOUT)
        .addInterceptor(new PlexHeaders());
  }

  /** {@code GET /security/token?type=delegation&scope=all}. */
  public TransientToken transientToken() throws IOException {
    TransientTokenResponse decoded = execute(api.transientToken("delegation", "all"));
    if (decoded.mediaContainer() == null || decoded.mediaContainer().token() == null) {
      throw new IOException("no transient token in the answer");
    }
    return decoded.mediaContainer();
  }

  /** {@code GET /security/resources?source=...}. */
  public SourceConnectionInformation sourceConnectionInformation(String source)
      throws IOException {
    SourceConnectionInformationResponse decoded =
        execute(api.sourceConnectionInformation(source));
    if (decoded.mediaContainer() == null || decoded.mediaContainer().device() == null) {
      throw new IOException("no device in the answer");
    }
    return decoded.mediaContainer().device();
  }

  private static <T> T execute(Call<T> call) throws IOException {
    Response<T> response = call.execute();
    if (!response.isSuccessful()) {
      // Retrofit has read the error body into memory; close it as a user would.
      if (response.errorBody() != null) {
        response.errorBody().close();
      }
      throw new IOException("HTTP " + response.code());
    }
    T value = response.body();
    if (value == null) {
      throw new IOException("no body, or JSON null");
    }
    return value;
  }
}

package dev.plexauth.bench;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import dev.plexauth.model.PlexModelAdapters;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.SourceConnectionInformationResponse;
import dev.plexauth.model.TransientToken;
import dev.plexauth.model.TransientTokenResponse;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The baseline every benchmark compares the SDK with: the two operations written by hand with raw
 * OkHttp and Moshi, as a careful developer would without the SDK. A hand-built {@link Request} with
 * the same headers the SDK sends, the same JSON decoded by a plain {@link Moshi} into the same
 * generated classes, a check of the status and of the value used. None of the SDK's tolerance,
 * retries, redirect rules, size bounds or token checks. Thread-safe.
 */
public final class RawPlex {
  /** The generated adapters, as a user of the models would register them: no reflection on either side. */
  private static final Moshi MOSHI = new Moshi.Builder().add(PlexModelAdapters.FACTORY).build();

  private final OkHttpClient client;
  private final HttpUrl tokenUrl;
  private final HttpUrl resourcesUrl;
  private final JsonAdapter<TransientTokenResponse> tokenAdapter =
      MOSHI.adapter(TransientTokenResponse.class);
  private final JsonAdapter<SourceConnectionInformationResponse> sourceAdapter =
      MOSHI.adapter(SourceConnectionInformationResponse.class);

  /**
   * Creates the raw client.
   *
   * @param client the OkHttp client that carries the calls
   * @param server the server's base URL
   */
  public RawPlex(OkHttpClient client, HttpUrl server) {
    this.client = client;
    this.tokenUrl = server.newBuilder().addPathSegments("security/token")
        .addQueryParameter("type", "delegation").addQueryParameter("scope", "all").build();
    this.resourcesUrl = server.newBuilder().addPathSegments("security/resources").build();
  }

  /** {@code GET /security/token?type=delegation&scope=all}. */
  public TransientToken transientToken() throws IOException {
    TransientTokenResponse decoded = call(tokenUrl, tokenAdapter);
    if (decoded.mediaContainer() == null || decoded.mediaContainer().token() == null) {
      throw new IOException("no transient token in the answer");
    }
    return decoded.mediaContainer();
  }

  /** {@code GET /security/resources?source=...}. */
  public SourceConnectionInformation sourceConnectionInformation(String source)
      throws IOException {
    HttpUrl url = resourcesUrl.newBuilder().addQueryParameter("source", source).build();
    SourceConnectionInformationResponse decoded = call(url, sourceAdapter);
    if (decoded.mediaContainer() == null || decoded.mediaContainer().device() == null) {
      throw new IOException("no device in the answer");
    }
    return decoded.mediaContainer().device();
  }

  private <T> T call(HttpUrl url, JsonAdapter<T> adapter) throws IOException {
    Request request = new Request.Builder()
        .url(url)
        .header("X-Plex-Token", Fixtures.TOKEN)
        .header("X-Plex-Client-Identifier", Fixtures.CLIENT_IDENTIFIER)
        .header("X-Plex-Product", Fixtures.PRODUCT)
        .header("X-Plex-Version", Fixtures.VERSION)
        .header("Accept", "application/json")
        .build();
    try (Response response = client.newCall(request).execute()) {
      ResponseBody body = response.body();
      if (!response.isSuccessful() || body == null) {
        throw new IOException("HTTP " + response.code());
      }
      T value = adapter.fromJson(body.source());
      if (value == null) {
        throw new IOException("JSON null");
      }
      return value;
    }
  }
}

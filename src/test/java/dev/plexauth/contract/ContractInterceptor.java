package dev.plexauth.contract;

import java.io.IOException;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp network interceptor that checks what goes over the wire against the spec: every
 * request whose path is, or ends with, a spec path (below any base path such as {@code /plex}) is
 * checked before it is sent; with {@link #requestsAndResponses()}, so is its answer.
 *
 * <p>Requests to other paths pass unchecked: they are not operations of the spec (for example a
 * same-origin redirect target such as {@code /moved/elsewhere} that a test serves on purpose). A
 * violation throws {@link AssertionError} from {@code intercept}: a synchronous call rethrows it
 * to the test; an asynchronous one fails with an {@code IOException} whose suppressed exception
 * is the AssertionError, and OkHttp also reports it on its dispatcher thread. Stateless and
 * thread-safe.
 */
public final class ContractInterceptor implements Interceptor {
  private final SpecContract spec;
  private final boolean checkResponses;

  private ContractInterceptor(SpecContract spec, boolean checkResponses) {
    this.spec = spec;
    this.checkResponses = checkResponses;
  }

  /**
   * Checks requests only: for servers that answer off-spec on purpose (the facade tests script
   * broken answers to prove the SDK copes).
   */
  public static ContractInterceptor requestsOnly() {
    return new ContractInterceptor(SpecContract.plexAuth(), false);
  }

  /** Checks requests and their answers: for servers that are meant to follow the spec. */
  public static ContractInterceptor requestsAndResponses() {
    return new ContractInterceptor(SpecContract.plexAuth(), true);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Optional<String> specPath = spec.specPath(request.url().encodedPath());
    if (specPath.isEmpty()) {
      return chain.proceed(request);
    }
    String path = specPath.get();
    spec.validateRequest(ContractRequest.of(request).withPath(path));
    Response response = chain.proceed(request);
    if (checkResponses && !"HEAD".equals(request.method())) {
      try {
        check(request.method(), path, response);
      } catch (AssertionError | IOException e) {
        response.close();
        throw e;
      }
    }
    return response;
  }

  private void check(String method, String path, Response response) throws IOException {
    MediaType type = response.body() == null ? null : response.body().contentType();
    // peekBody buffers a copy, so the caller still reads the whole body.
    String body = response.peekBody(Long.MAX_VALUE).string();
    spec.validateResponse(method, path, response.code(),
        type == null ? response.header("Content-Type") : type.toString(),
        response.headers().toMultimap(), body);
  }
}

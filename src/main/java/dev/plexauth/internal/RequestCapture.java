package dev.plexauth.internal;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;

/**
 * A {@link Call.Factory} for Retrofit that only captures the request a generated interface method
 * builds; the facade executes that request itself on its OkHttpClient. Not part of the API.
 *
 * <p>Why: Retrofit reports a body that fails to decode as an {@link IOException}, the same type as
 * a dropped connection, and without the status. Executing the request in the facade keeps one place
 * that sees status, headers and body together and maps every outcome to the exception tree.
 */
public final class RequestCapture implements Call.Factory {
  /** The shared instance; it holds no state. */
  public static final RequestCapture INSTANCE = new RequestCapture();

  private RequestCapture() {}

  @Override
  public Call newCall(Request request) {
    return new CapturedCall(request);
  }

  private static final class CapturedCall implements Call {
    private final Request request;

    CapturedCall(Request request) {
      this.request = request;
    }

    @Override
    public Request request() {
      return request;
    }

    @Override
    public Response execute() {
      throw new UnsupportedOperationException("a captured request is executed by the facade");
    }

    @Override
    public void enqueue(Callback responseCallback) {
      throw new UnsupportedOperationException("a captured request is executed by the facade");
    }

    @Override
    public void cancel() {}

    @Override
    public boolean isExecuted() {
      return false;
    }

    @Override
    public boolean isCanceled() {
      return false;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public Call clone() {
      return new CapturedCall(request);
    }
  }
}

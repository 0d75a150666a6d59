package dev.plexauth.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Turns an unchecked exception thrown inside the OkHttp chain into an {@link IOException}. Not
 * part of the API.
 *
 * <p>OkHttp 4 throws unchecked exceptions on some malformed answers (a negative status code gives
 * an {@link IllegalStateException}); on an asynchronous call such an exception would also escape
 * on OkHttp's dispatcher thread. As an {@code IOException} it becomes a {@code PlexIoException},
 * releases the connection, and completes the caller's future. Installed as the outermost
 * application interceptor.
 */
public final class UncheckedToIo implements Interceptor {
  /** The shared instance; it holds no state. */
  public static final UncheckedToIo INSTANCE = new UncheckedToIo();

  private UncheckedToIo() {}

  @Override
  public Response intercept(Chain chain) throws IOException {
    try {
      return chain.proceed(chain.request());
    } catch (RuntimeException e) {
      throw new IOException("unusable answer (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}

package dev.plexauth;

/**
 * Receives the outcome of an asynchronous call made with an operation's {@code Async} method that
 * takes a callback (the form that runs from Android API 21; the {@code CompletableFuture} form
 * needs API 24).
 *
 * <p>Exactly one of the two methods is called, exactly once, on one of OkHttp's dispatcher threads
 * (not on the thread that started the call, unless the OkHttpClient's dispatcher was shut down,
 * which OkHttp then reports at once): do not block in it, and on Android post to the main thread
 * to touch views. A call cancelled with {@link PlexCancellable#cancel()} before it completed
 * ends in {@link #onFailure} with a {@link PlexIoException}.
 *
 * @param <T> what the operation's synchronous method returns
 */
public interface PlexCallback<T> {
  /**
   * The call succeeded.
   *
   * @param result what the synchronous method would have returned, never null
   */
  void onSuccess(T result);

  /**
   * The call failed, with what the synchronous method would have thrown.
   *
   * @param failure the failure, never null: a {@link PlexHttpException} (or its {@link
   *     PlexUnauthorizedException}), a {@link PlexDecodingException} or a {@link PlexIoException}
   */
  void onFailure(PlexException failure);
}

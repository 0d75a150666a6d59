package dev.plexauth;

import java.util.concurrent.CompletableFuture;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import org.jspecify.annotations.Nullable;

/**
 * The {@code CompletableFuture} of every {@code Async} form without a callback: it is the callback
 * of the callback form, and cancelling it cancels what that form started. Needs Android API 24
 * ({@code CompletableFuture}, which core library desugaring does not add). Thread-safe.
 *
 * @param <T> what the synchronous form returns
 */
@IgnoreJRERequirement
final class CallbackFuture<T> extends CompletableFuture<T> implements PlexCallback<T> {
  /** What the callback form returned; set once, right after it was started. */
  volatile @Nullable PlexCancellable started;

  @Override
  public void onSuccess(T result) {
    complete(result);
  }

  @Override
  public void onFailure(PlexException failure) {
    completeExceptionally(failure);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    PlexCancellable running = started;
    if (cancelled && running != null) {
      running.cancel();
    }
    return cancelled;
  }
}

package dev.plexauth;

import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecOperation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an operation's {@code Async} form that takes a {@link PlexCallback} as a future, so that
 * the suites written against futures cover it too, and checks the callback's contract on the way:
 * exactly one call, never on the thread that started the call.
 */
final class Callbacks {
  private Callbacks() {}

  /** A callback that completes the future with the outcome (no other check). */
  static PlexCallback<Object> completing(CompletableFuture<Object> future) {
    return new PlexCallback<Object>() {
      @Override
      public void onSuccess(Object result) {
        future.complete(result);
      }

      @Override
      public void onFailure(PlexException failure) {
        future.completeExceptionally(failure);
      }
    };
  }

  static CompletableFuture<Object> start(
      SpecOperation operation, PlexAuthClient client, Arguments args) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    Thread caller = Thread.currentThread();
    AtomicInteger outcomes = new AtomicInteger();
    PlexCancellable call = operation.callWithCallback().call(client, args,
        new PlexCallback<Object>() {
          @Override
          public void onSuccess(Object result) {
            if (check(outcomes, caller) && result == null) {
              future.completeExceptionally(new AssertionError("onSuccess(null)"));
            }
            future.complete(result);
          }

          @Override
          public void onFailure(PlexException failure) {
            if (check(outcomes, caller) && failure == null) {
              future.completeExceptionally(new AssertionError("onFailure(null)"));
            }
            future.completeExceptionally(failure);
          }

          private boolean check(AtomicInteger count, Thread starter) {
            if (count.incrementAndGet() != 1) {
              future.obtrudeException(new AssertionError("the callback was called twice"));
              return false;
            }
            if (Thread.currentThread() == starter) {
              future.obtrudeException(
                  new AssertionError("the callback ran on the thread that started the call"));
              return false;
            }
            return true;
          }
        });
    future.whenComplete((value, failure) -> {
      if (future.isCancelled()) {
        call.cancel();
      }
    });
    return future;
  }
}

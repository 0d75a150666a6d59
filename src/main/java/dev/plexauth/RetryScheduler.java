package dev.plexauth;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Waits between retries: blocking for synchronous calls, scheduled for asynchronous ones. */
interface RetryScheduler {
  /** Real waiting: {@link Thread#sleep} and {@link CompletableFuture#delayedExecutor}. */
  RetryScheduler SYSTEM =
      new RetryScheduler() {
        @Override
        public void sleep(Duration delay) throws InterruptedIOException {
          try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException failure = new InterruptedIOException("interrupted while waiting to retry");
            failure.initCause(e);
            throw failure;
          }
        }

        @Override
        public Executor after(Duration delay) {
          return CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
        }
      };

  /** Blocks the calling thread for {@code delay}. */
  void sleep(Duration delay) throws InterruptedIOException;

  /** An executor that runs its task once {@code delay} has passed. */
  Executor after(Duration delay);
}

package dev.plexauth;

import java.io.InterruptedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Waits between retries: blocking for synchronous calls, scheduled for asynchronous ones. */
interface RetryScheduler {
  /** Real waiting: {@link Thread#sleep} and one shared timer thread. */
  RetryScheduler SYSTEM =
      new RetryScheduler() {
        @Override
        public void sleep(long delayNanos) throws InterruptedIOException {
          try {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(delayNanos), (int) (delayNanos % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException failure =
                new InterruptedIOException("interrupted while waiting to retry");
            failure.initCause(e);
            throw failure;
          }
        }

        @Override
        public Executor after(long delayNanos) {
          return new Executor() {
            @Override
            public void execute(Runnable task) {
              Timer.TIMER.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }
          };
        }
      };

  /**
   * Blocks the calling thread for the delay.
   *
   * @param delayNanos the wait in nanoseconds, not negative
   */
  void sleep(long delayNanos) throws InterruptedIOException;

  /**
   * An executor that runs its task once the delay has passed.
   *
   * @param delayNanos the wait in nanoseconds, not negative
   */
  Executor after(long delayNanos);

  /**
   * The timer of asynchronous retries, shared by every client and made on first use: one daemon
   * thread that only hands each retry back to OkHttp's dispatcher, and that ends after a few idle
   * seconds, so it never keeps a JVM or an app process alive. (Not {@code
   * CompletableFuture.delayedExecutor}: Android has it from API 31 only.)
   */
  final class Timer {
    static final ScheduledThreadPoolExecutor TIMER = create();

    private Timer() {}

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              new ThreadFactory() {
                @Override
                public Thread newThread(Runnable task) {
                  Thread thread = new Thread(task, "plex-auth retry timer");
                  thread.setDaemon(true);
                  return thread;
                }
              });
      timer.setKeepAliveTime(5, TimeUnit.SECONDS);
      timer.allowCoreThreadTimeOut(true);
      return timer;
    }
  }
}

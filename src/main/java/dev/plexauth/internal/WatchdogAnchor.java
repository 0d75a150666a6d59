package dev.plexauth.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.AsyncTimeout;

/**
 * Keeps okio's timeout watchdog thread from being woken on every call. Not part of the API.
 *
 * <p>OkHttp enforces the call timeout, and the read and write timeouts of sockets, with okio's
 * {@link AsyncTimeout}: one process-wide queue of deadlines watched by one "Okio Watchdog" thread.
 * Whenever a deadline becomes the earliest in the queue, okio wakes that thread so that it waits
 * for the new one instead. Between sequential calls the queue is empty, so every call's timeout
 * became the earliest and woke the thread: a thread hand-off per call. The benchmarks measured
 * about 0.4 µs of an in-memory call's 1.6 µs, and a spread of results with it.
 *
 * <p>This anchor is a deadline one second out that renews itself while calls keep coming. Call
 * timeouts (a minute by default) and socket timeouts (several seconds) then queue behind it and
 * wake nobody. The watchdog wakes once a second for the anchor instead. After ten idle seconds the
 * anchor lapses, and okio's watchdog thread ends a minute later as usual. The anchor never times
 * out anything: every timeout still fires when it is due, because okio checks the queue each time
 * it wakes. Thread-safe; one instance per process, like okio's queue.
 */
public final class WatchdogAnchor extends AsyncTimeout {
  /** For tests: told when the anchor renews itself or lapses (on okio's watchdog thread). */
  interface Listener {
    void renewed();

    void lapsed();
  }

  private static final Listener NONE =
      new Listener() {
        @Override
        public void renewed() {}

        @Override
        public void lapsed() {}
      };

  /** The instance shared by every client (declared after {@link #NONE}, which it uses). */
  public static final WatchdogAnchor INSTANCE = new WatchdogAnchor();

  private final AtomicBoolean armed = new AtomicBoolean();
  private final int idlePeriodsToLapse;
  private final Listener listener;
  private volatile boolean used;
  /** Touched by okio's watchdog thread only. */
  private int idlePeriods;

  private WatchdogAnchor() {
    this(TimeUnit.SECONDS.toNanos(1), 10, NONE);
  }

  /**
   * An anchor with its own period; tests use short ones.
   *
   * @param periodNanos how far out the anchor's deadline is set, and so how often it renews
   * @param idlePeriodsToLapse periods without a call before it lapses
   * @param listener told of renewals and lapses
   */
  WatchdogAnchor(long periodNanos, int idlePeriodsToLapse, Listener listener) {
    timeout(periodNanos, TimeUnit.NANOSECONDS);
    this.idlePeriodsToLapse = idlePeriodsToLapse;
    this.listener = listener;
  }

  /**
   * Notes a call about to start; arms the anchor when it has lapsed. Costs a volatile read on the
   * usual path.
   */
  public void use() {
    if (!used) {
      used = true;
    }
    if (!armed.get() && armed.compareAndSet(false, true)) {
      try {
        enter();
      } catch (IllegalStateException alreadyQueued) {
        // Cannot happen while armed guards enter(); an optimisation must never fail a call.
      }
    }
  }

  /**
   * Runs on okio's watchdog thread once a period: renews the anchor or lets it lapse. Never
   * throws: an exception here would end okio's one watchdog thread, and with it every timeout in
   * the process.
   */
  @Override
  protected void timedOut() {
    try {
      renewOrLapse();
    } catch (RuntimeException | Error e) {
      armed.set(false);
    }
  }

  private void renewOrLapse() {
    exit();
    if (used) {
      used = false;
      idlePeriods = 0;
    } else if (++idlePeriods >= idlePeriodsToLapse) {
      idlePeriods = 0;
      armed.set(false);
      listener.lapsed();
      return;
    }
    enter();
    listener.renewed();
  }

  /**
   * Whether the anchor is in okio's queue now.
   *
   * @return true while armed
   */
  public boolean isArmed() {
    return armed.get();
  }

  @Override
  public String toString() {
    return "WatchdogAnchor{armed=" + armed.get() + "}";
  }
}

package dev.plexauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okio.AsyncTimeout;
import org.junit.jupiter.api.Test;

/**
 * The anchor that keeps okio's watchdog asleep between calls renews itself while calls come,
 * lapses when they stop, comes back on the next call, and never delays or swallows a real timeout.
 */
class WatchdogAnchorTest {
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long WAIT_SECONDS = 5;

  /** Counts renewals and lapses with latches. */
  private static final class Events implements WatchdogAnchor.Listener {
    final CountDownLatch renewals;
    final CountDownLatch lapse = new CountDownLatch(1);

    Events(int renewals) {
      this.renewals = new CountDownLatch(renewals);
    }

    @Override
    public void renewed() {
      renewals.countDown();
    }

    @Override
    public void lapsed() {
      lapse.countDown();
    }
  }

  @Test
  void armsOnFirstUseRenewsWhileUsedThenLapsesAndComesBack() throws Exception {
    Events events = new Events(3);
    WatchdogAnchor anchor = new WatchdogAnchor(PERIOD_NANOS, 2, events);
    assertFalse(anchor.isArmed(), "not armed before any call");

    anchor.use();
    assertTrue(anchor.isArmed(), "armed by the first call");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (events.renewals.getCount() > 0 && System.nanoTime() < until) {
      anchor.use(); // calls keep coming
      events.renewals.await(1, TimeUnit.MILLISECONDS);
    }
    assertEquals(0, events.renewals.getCount(), "renewed itself three times while used");
    assertTrue(anchor.isArmed());

    assertTrue(events.lapse.await(WAIT_SECONDS, TimeUnit.SECONDS), "lapses once calls stop");
    assertFalse(anchor.isArmed(), "no longer in okio's queue");

    anchor.use();
    assertTrue(anchor.isArmed(), "the next call arms it again");
  }

  @Test
  void aTimeoutQueuedBehindTheAnchorStillFiresOnTime() throws Exception {
    Events events = new Events(Integer.MAX_VALUE);
    WatchdogAnchor anchor = new WatchdogAnchor(PERIOD_NANOS, 50, events);
    anchor.use();
    CountDownLatch fired = new CountDownLatch(1);
    AsyncTimeout call = new AsyncTimeout() {
      @Override
      protected void timedOut() {
        fired.countDown();
      }
    };
    // Later than the anchor's deadline: it queues behind the anchor and wakes nobody.
    call.timeout(200, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    call.enter();

    assertTrue(fired.await(WAIT_SECONDS, TimeUnit.SECONDS), "the timeout fired");
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMillis >= 200, "not early: " + elapsedMillis + " ms");
    assertTrue(call.exit(), "exit() reports the timeout");
    assertTrue(anchor.isArmed(), "the anchor itself kept renewing");
  }

  @Test
  void theSharedAnchorRenewsWithoutStoppingOkiosWatchdog() throws Exception {
    WatchdogAnchor.INSTANCE.use();
    assertTrue(WatchdogAnchor.INSTANCE.isArmed());
    CountDownLatch fired = new CountDownLatch(1);
    AsyncTimeout later = new AsyncTimeout() {
      @Override
      protected void timedOut() {
        fired.countDown();
      }
    };
    // Due after the shared anchor's first renewal (one second): if renewing threw on okio's
    // watchdog thread, that thread would end and this timeout would never fire.
    later.timeout(1500, TimeUnit.MILLISECONDS);
    later.enter();

    assertTrue(fired.await(WAIT_SECONDS, TimeUnit.SECONDS), "okio's watchdog still fires timeouts");
    assertTrue(later.exit());
    assertTrue(WatchdogAnchor.INSTANCE.isArmed(), "the shared anchor renewed itself, not failed");
  }
}

package dev.plexauth;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Finds connections that a test left in use on an {@link OkHttpClient} it passed to the SDK (the
 * SDK derives its client with {@code newBuilder()}, so both share the pool and the dispatcher).
 *
 * <p>Two signals, because each misses what the other sees: a response nobody closed but something
 * still references keeps its connection in use ({@code connectionCount() - idleConnectionCount()});
 * one that became garbage is found by OkHttp's pool cleanup, which logs {@code "A connection to
 * <url> was leaked. Did you forget to close a response body?"} at WARNING on the {@code
 * java.util.logging} logger {@code okhttp3.OkHttpClient}. That cleanup normally runs only minutes
 * later, so {@link #problems} forces a collection (a cleared {@link WeakReference} sentinel proves
 * one happened; no sleeps) and then runs the pool's cleanup on this thread.
 */
final class ConnectionLeakCheck {
  /** Held strongly: java.util.logging keeps loggers weakly, and would drop our handler with it. */
  private static final Logger OKHTTP_LOGGER = Logger.getLogger(OkHttpClient.class.getName());

  private static final List<String> LEAK_MESSAGES = new CopyOnWriteArrayList<>();

  static {
    OKHTTP_LOGGER.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getLevel().intValue() >= Level.WARNING.intValue()
                && message != null
                && message.contains("leaked")) {
              LEAK_MESSAGES.add(message);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  private ConnectionLeakCheck() {}

  /** Installs the log capture; call before the calls whose leaks should be seen. */
  static void install() {
    // The static initializer did the work.
  }

  /** What a check of a deliberate leak does: leaves a response open, then finds it. */
  @FunctionalInterface
  interface DeliberateLeak {
    List<String> leakAndCheck() throws Exception;
  }

  /**
   * Runs a test of this check itself, which leaks a response on purpose: OkHttp's report of that
   * leak is captured as usual but kept off the console, where it would read as a real leak in
   * the test run, and forgotten afterwards. Any other leak report still reaches the console.
   */
  static List<String> ofDeliberateLeak(DeliberateLeak leak) throws Exception {
    boolean parents = OKHTTP_LOGGER.getUseParentHandlers();
    OKHTTP_LOGGER.setUseParentHandlers(false);
    List<String> before = new ArrayList<>(LEAK_MESSAGES);
    try {
      return leak.leakAndCheck();
    } finally {
      OKHTTP_LOGGER.setUseParentHandlers(parents);
      // Forget the deliberate leak's reports: they name its server's port, which a later test's
      // server may be given again, and would then be read as that test's leak.
      List<String> deliberate = new ArrayList<>(LEAK_MESSAGES);
      deliberate.removeAll(before);
      LEAK_MESSAGES.removeAll(deliberate);
    }
  }

  /**
   * Waits for the client's calls to finish, collects garbage, runs the pool's cleanup and
   * reports leaks of connections to the given ports, and connections still in use.
   *
   * @return the problems found, empty when every connection was released
   */
  static List<String> problems(OkHttpClient client, Collection<Integer> ports)
      throws InterruptedException {
    List<String> problems = new ArrayList<>();
    if (!awaitIdle(client.dispatcher())) {
      problems.add(client.dispatcher().runningCallsCount() + " calls still running");
    }
    if (!collectGarbage()) {
      problems.add("no garbage collection happened, so leaks may go unseen");
    }
    cleanUp(client.connectionPool());
    for (String message : LEAK_MESSAGES) {
      for (int port : ports) {
        if (message.contains(":" + port + "/")) {
          problems.add("OkHttp reported: " + message);
        }
      }
    }
    ConnectionPool pool = client.connectionPool();
    int inUse = pool.connectionCount() - pool.idleConnectionCount();
    if (inUse != 0) {
      problems.add(inUse + " connection(s) still in use (a response body was not closed)");
    }
    return problems;
  }

  private static boolean awaitIdle(Dispatcher dispatcher) throws InterruptedException {
    CountDownLatch idle = new CountDownLatch(1);
    dispatcher.setIdleCallback(idle::countDown);
    try {
      // An async call completes its future inside OkHttp's callback, before the dispatcher
      // counts the call finished.
      return dispatcher.runningCallsCount() == 0 || idle.await(10, TimeUnit.SECONDS);
    } finally {
      dispatcher.setIdleCallback(null);
    }
  }

  /** Returns once a full collection has cleared a fresh weakly reachable sentinel. */
  static boolean collectGarbage() throws InterruptedException {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    try {
      for (int i = 0; i < 20; i++) {
        System.gc();
        if (queue.remove(100) != null) {
          return true;
        }
      }
      return false;
    } finally {
      Reference.reachabilityFence(sentinel);
    }
  }

  /**
   * Runs {@code RealConnectionPool.cleanup(now)}, the task OkHttp's pool schedules for itself, now
   * and on this thread, so that its leak report is in the log when this returns. OkHttp 4 keeps it
   * internal, hence reflection; a failure here names the OkHttp change rather than passing
   * silently.
   */
  private static void cleanUp(ConnectionPool pool) {
    try {
      Method delegate = ConnectionPool.class.getDeclaredMethod("getDelegate$okhttp");
      delegate.setAccessible(true);
      Object realPool = delegate.invoke(pool);
      Method cleanup = realPool.getClass().getMethod("cleanup", long.class);
      cleanup.invoke(realPool, System.nanoTime());
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(
          "cannot run OkHttp's connection pool cleanup (OkHttp internals changed?)", e);
    }
  }
}

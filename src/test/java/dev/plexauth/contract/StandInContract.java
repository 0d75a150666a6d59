package dev.plexauth.contract;

import dev.plexauth.tools.standin.ContractObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks a {@code PlexStandIn}'s traffic against the spec: pass it to the stand-in's builder
 * ({@code contractObserver(...)}) and call {@link #assertNoViolations()} after each test.
 *
 * <p>Every answer to an operation of the spec (a method the spec declares on one of its paths) is
 * checked, errors included: status declared, content type declared, JSON body valid; that includes
 * {@code /} and {@code /identity}, and the answers of the default source's candidate listeners,
 * which share the observer. Answers to anything else (unknown paths, other verbs, HEAD, CORS
 * preflights) are outside the spec and pass unchecked. Requests are checked only in {@link
 * #requestsAndResponses()} mode, meant for facade traffic: wire tests send malformed requests on
 * purpose, and the stand-in's answers to those are what they test.
 *
 * <p>Violations are collected, not thrown, so the stand-in still answers and the test's own
 * assertions run; thread-safe.
 */
public final class StandInContract implements ContractObserver {
  private final SpecContract spec = SpecContract.plexAuth();
  private volatile boolean checkRequests;
  private final List<AssertionError> violations = new CopyOnWriteArrayList<>();
  private final AtomicInteger checkedRequests = new AtomicInteger();
  private final AtomicInteger checkedResponses = new AtomicInteger();

  private StandInContract(boolean checkRequests) {
    this.checkRequests = checkRequests;
  }

  /** Checks answers only: for tests that send the stand-in off-spec requests on purpose. */
  public static StandInContract responsesOnly() {
    return new StandInContract(false);
  }

  /** Checks every request as a facade request, and every answer. */
  public static StandInContract requestsAndResponses() {
    return new StandInContract(true);
  }

  /**
   * Stops checking requests from now on, for a test whose requests are deliberately not the
   * facade's (a proxy that drops headers); answers are still checked.
   */
  public void stopCheckingRequests() {
    checkRequests = false;
  }

  /** How many requests were checked so far. */
  public int checkedRequests() {
    return checkedRequests.get();
  }

  /** How many answers were checked so far. */
  public int checkedResponses() {
    return checkedResponses.get();
  }

  /**
   * Fails with every violation seen so far, each naming its request and rule.
   *
   * @throws AssertionError if any request or answer broke the spec
   */
  public void assertNoViolations() {
    if (violations.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder()
        .append(violations.size()).append(" exchange(s) with the stand-in broke the spec:");
    for (AssertionError violation : violations) {
      message.append("\n- ").append(violation.getMessage());
    }
    AssertionError all = new AssertionError(message.toString());
    violations.forEach(all::addSuppressed);
    throw all;
  }

  @Override
  public void onRequest(ReceivedRequest request) {
    if (!checkRequests) {
      return;
    }
    checkedRequests.incrementAndGet();
    try {
      spec.validateRequest(
          ContractRequest.of(request.method(), request.path(), request.rawQuery(),
              request.headers()));
    } catch (AssertionError e) {
      violations.add(e);
    }
  }

  @Override
  public void onResponse(
      ReceivedRequest request, int status, Map<String, List<String>> headers, String body) {
    if (!spec.isOperation(request.method(), request.path()) || "HEAD".equals(request.method())) {
      return;
    }
    checkedResponses.incrementAndGet();
    try {
      spec.validateResponse(request.method(), request.path(), status,
          header(headers, "Content-Type"), headers, body);
    } catch (AssertionError e) {
      violations.add(e);
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }
}

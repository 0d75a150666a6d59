package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.always;
import static dev.plexauth.FacadeTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The fault matrix of {@code docs/RELIABILITY.md}, executed: for each row of its tables, the
 * scenario registered under the row's id in {@link FaultScenarios#ALL} runs through the facade,
 * and every exception it provoked must be the row's {@code outcome} and satisfy the facts of its
 * {@code details}. The ids of the document and of the scenarios must be the same set, so neither
 * can drift from the other. The scenarios run every operation of the spec and derive their cases
 * from it, so the table covers a new operation without a new row; a fact whose value is a {@code
 * <placeholder>} is checked against what the case noted it broke (a JSON path, a parameter, a
 * status).
 *
 * <p>Beyond each row, every outcome is checked for what no failure may do: be a raw
 * NullPointerException, ClassCastException, IllegalStateException or Moshi, Retrofit, OkHttp or
 * okio exception; carry a token in any message, {@code toString()} or cause; or leave a connection
 * of the caller's OkHttpClient in use or leaked (see {@link ConnectionLeakCheck}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultMatrixTest {
  private static final Path DOC = Path.of("docs", "RELIABILITY.md");
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  /** A back-quoted fact in the details column: {@code code=200}, {@code message~=HTML}, ... */
  private static final Pattern FACT =
      Pattern.compile("`(code|cause|contentType|message|names|body|requests)(=|~=|<=)([^`]*)`");
  /** Types a {@code cause=} fact may name. */
  private static final Map<String, Class<?>> CAUSES =
      Stream.of(IOException.class, EOFException.class, InterruptedIOException.class,
              SocketTimeoutException.class, SocketException.class, ConnectException.class,
              ProtocolException.class, JsonDataException.class, JsonEncodingException.class)
          .collect(Collectors.toMap(Class::getSimpleName, c -> c));
  private static final Set<String> BAD_INPUT_OUTCOMES =
      Set.of("IllegalArgumentException", "NullPointerException");
  /** A fact's value that the case supplies: {@code <path>}, {@code <parameter>}, {@code <status>}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z]+)>");

  /** One row of the document. */
  private static final class Row {
    final String id;
    final String fault;
    final String outcome;
    final String details;

    Row(String id, String fault, String outcome, String details) {
      this.id = id;
      this.fault = fault;
      this.outcome = outcome;
      this.details = details;
    }
  }

  @BeforeAll
  static void captureOkHttpLeakReports() {
    ConnectionLeakCheck.install();
  }

  @Test
  void documentAndScenariosNameTheSameFaults() throws IOException {
    List<Row> rows = rows();
    List<String> ids = rows.stream().map(r -> r.id).collect(Collectors.toList());

    assertEquals(new TreeSet<>(FaultScenarios.ALL.keySet()), new TreeSet<>(ids),
        "the ids of " + DOC + " and of FaultMatrixTest's scenarios must be the same set");
    assertEquals(ids.size(), new LinkedHashSet<>(ids).size(), "duplicate ids in " + DOC);
    for (Row row : rows) {
      assertTrue(ID.matcher(row.id).matches(), "id is not kebab-case: " + row.id);
      assertFalse(row.fault.isBlank(), row.id + " has no fault description");
      assertTrue(row.outcome.matches("Plex[A-Za-z]*Exception")
              || BAD_INPUT_OUTCOMES.contains(row.outcome),
          row.id + ": outcome must be an exception's simple name, was " + row.outcome);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyFaultEndsInItsDocumentedOutcome() throws IOException {
    return rows().stream()
        .filter(row -> FaultScenarios.ALL.containsKey(row.id))
        .map(row -> DynamicTest.dynamicTest(row.id + " -> " + row.outcome, () -> check(row)));
  }

  /**
   * The leak check must be able to fail: a response nobody closed is reported, and OkHttp's report
   * of that deliberate leak stays off the console (the root logger's handlers).
   */
  @Test
  void leakCheckReportsAnUnclosedResponse() throws Exception {
    OkHttpClient shared = new OkHttpClient();
    List<String> printed = new CopyOnWriteArrayList<>();
    Handler console = new Handler() {
      @Override
      public void publish(LogRecord record) {
        printed.add(record.getLoggerName() + ": " + record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger.getLogger("").addHandler(console);
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(always(json("{}")));
      server.start();

      List<String> problems = ConnectionLeakCheck.ofDeliberateLeak(() -> {
        leakOneResponse(shared, server);
        return ConnectionLeakCheck.problems(shared, List.of(server.getPort()));
      });

      assertTrue(problems.stream().anyMatch(p -> p.contains("was leaked")), problems.toString());
      // Forgotten afterwards: a later test's server given the same port must not inherit it.
      assertEquals(List.of(), ConnectionLeakCheck.problems(shared, List.of(server.getPort())));
      assertEquals(List.of(), printed.stream().filter(line -> line.contains("was leaked"))
          .collect(Collectors.toList()), "the deliberate leak's report reached the console");
    } finally {
      Logger.getLogger("").removeHandler(console);
      shared.dispatcher().executorService().shutdown();
      shared.connectionPool().evictAll();
    }
  }

  private static void leakOneResponse(OkHttpClient client, MockWebServer server)
      throws IOException {
    okhttp3.Response response =
        client.newCall(new okhttp3.Request.Builder().url(server.url("/")).build()).execute();
    assertEquals(200, response.code());
    // Not closed, and unreachable once this returns.
  }

  private static void check(Row row) throws Exception {
    FaultRun run = new FaultRun();
    try {
      FaultScenarios.ALL.get(row.id).run(run);
      assertFalse(run.outcomes.isEmpty(), row.id + ": the scenario provoked nothing");
      for (FaultRun.Outcome outcome : run.outcomes) {
        checkOutcome(row, run, outcome);
      }
      List<String> problems = ConnectionLeakCheck.problems(run.shared, run.ports());
      assertEquals(List.of(), problems, row.id + ": connections were not released");
    } finally {
      run.close();
    }
  }

  private static void checkOutcome(Row row, FaultRun run, FaultRun.Outcome outcome) {
    Throwable thrown = outcome.thrown();
    String id = outcome.notes().isEmpty() ? row.id : row.id + " " + outcome.notes();
    String name = thrown == null ? "no exception" : thrown.getClass().getSimpleName();
    if (!row.outcome.equals(name)) {
      throw new AssertionError(
          id + ": expected " + row.outcome + " but got " + name + ": " + thrown, thrown);
    }
    if (!BAD_INPUT_OUTCOMES.contains(row.outcome)) {
      // A server or network fault: only the SDK's own tree, never a raw library exception.
      assertInstanceOf(PlexException.class, thrown, id);
      if (thrown instanceof PlexIoException) {
        assertInstanceOf(IOException.class, thrown.getCause(), id + ": the cause");
      }
    }
    String packageName = thrown.getClass().getPackageName();
    for (String raw : List.of("com.squareup.moshi", "retrofit2", "okhttp3", "okio")) {
      assertFalse(packageName.startsWith(raw), id + ": raw exception " + thrown);
    }
    assertNoTokens(id, thrown, run.secrets);
    checkFacts(row, id, run, outcome);
  }

  /** No token in any message, toString() or (bounded) body, down the whole cause chain. */
  private static void assertNoTokens(String id, Throwable thrown, Set<String> secrets) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String text = t.getMessage() + " | " + t;
      if (t instanceof PlexHttpException) {
        text += " | " + ((PlexHttpException) t).body();
      }
      for (String secret : secrets) {
        if (text.contains(secret)) {
          throw new AssertionError(id + ": a token leaked into " + t.getClass().getName() + ": "
              + text.replace(secret, "<THE TOKEN>"));
        }
      }
    }
  }

  private static void checkFacts(Row row, String id, FaultRun run, FaultRun.Outcome outcome) {
    Throwable thrown = outcome.thrown();
    Matcher fact = FACT.matcher(row.details);
    while (fact.find()) {
      String key = fact.group(1);
      String op = fact.group(2);
      String value = valueOf(fact.group(3), id, outcome);
      String where = id + ": " + fact.group() + " (" + value + ") does not hold for " + thrown;
      switch (key + op) {
        case "code=":
          assertEquals(Integer.parseInt(value), codeOf(thrown), where);
          break;
        case "cause=":
          Class<?> type = CAUSES.get(value);
          assertNotNull(type, row.id + ": unknown cause type " + value + "; add it to CAUSES");
          assertInstanceOf(type, thrown.getCause(), where);
          break;
        case "contentType=":
          assertEquals(value, assertInstanceOf(PlexDecodingException.class, thrown, where)
              .contentType(), where);
          break;
        case "message~=":
        case "names=":
          assertTrue(String.valueOf(thrown.getMessage()).contains(value),
              where + " (message: " + thrown.getMessage() + ")");
          break;
        case "body<=":
          int length = assertInstanceOf(PlexHttpException.class, thrown, where).body().length();
          assertTrue(length <= Integer.parseInt(value), where + " (body length " + length + ")");
          break;
        case "requests=":
          // Per call: the run's servers saw that many requests for each call it made.
          assertEquals(Integer.parseInt(value) * run.outcomes.size(), run.requests(),
              where + " (" + run.outcomes.size() + " calls)");
          break;
        default:
          fail(row.id + ": unsupported fact " + fact.group());
      }
    }
  }

  /** The fact's value, its {@code <placeholder>} replaced by what the case noted. */
  private static String valueOf(String value, String id, FaultRun.Outcome outcome) {
    Matcher placeholder = PLACEHOLDER.matcher(value);
    if (!placeholder.matches()) {
      return value;
    }
    String noted = outcome.notes().get(placeholder.group(1));
    assertNotNull(noted, id + ": the scenario noted no " + value + " for this case");
    return noted;
  }

  private static int codeOf(Throwable thrown) {
    if (thrown instanceof PlexHttpException) {
      return ((PlexHttpException) thrown).code();
    }
    if (thrown instanceof PlexDecodingException) {
      return ((PlexDecodingException) thrown).code();
    }
    throw new AssertionError("no status code on " + thrown);
  }

  /** The rows of every table whose header is {@code | id | fault | outcome | details |}. */
  private static List<Row> rows() throws IOException {
    assertTrue(Files.isRegularFile(DOC), DOC.toAbsolutePath() + " is missing");
    List<Row> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
      String trimmed = line.trim();
      if (!trimmed.startsWith("|")) {
        inTable = false;
        continue;
      }
      List<String> cells = Arrays.stream(trimmed.substring(1).split("\\|", -1))
          .map(String::trim).collect(Collectors.toList());
      if (cells.size() > 0 && cells.get(cells.size() - 1).isEmpty()) {
        cells.remove(cells.size() - 1);
      }
      if (cells.equals(List.of("id", "fault", "outcome", "details"))) {
        inTable = true;
        continue;
      }
      if (!inTable || cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
        continue;
      }
      assertEquals(4, cells.size(), "a row of " + DOC + " needs 4 cells: " + line);
      rows.add(new Row(unquote(cells.get(0)), cells.get(1), unquote(cells.get(2)), cells.get(3)));
    }
    assertFalse(rows.isEmpty(), DOC + " has no fault table");
    return rows;
  }

  private static String unquote(String cell) {
    return cell.replace("`", "").trim();
  }

}

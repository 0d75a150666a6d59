package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.testing.LooseJson;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import dev.plexauth.tools.generated.ModelProperties;
import dev.plexauth.tools.spec.ModelProperty;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-based fuzzing of everything a server can answer: thousands of byte-level mutations of
 * every example the spec gives (each operation's 200 answer in JSON, in its loose forms and in XML,
 * and every error example), with random statuses, content types, encodings and headers, through
 * every operation of the spec. The property: every outcome is a result that keeps what the spec
 * guarantees of it (its required values present, its lists present and without nulls, its strings
 * within their length and pattern, its secrets out of {@code toString()}), or a {@link
 * PlexException} subtype that fits the status and carries no token. Never a NullPointerException,
 * IllegalArgumentException, or a raw Moshi, Retrofit or OkHttp exception: the inputs are valid,
 * only the answers are hostile.
 *
 * <p>Deterministic: every run draws its answers from {@link #DEFAULT_SEED}; {@code
 * -Dplexauth.fuzz.seed=N} runs another seed, or replays one. Each test prints its seed in its
 * summary line, and every failure names its seed and try and shows the answer that caused it. One
 * MockWebServer per test serves the answer set for the current try; retries are off, so each answer
 * is seen once.
 */
// A guard against a hang, not a budget: each test makes tens of thousands of loopback calls for
// every operation of the spec, which takes a minute on a loaded machine.
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FuzzTest {
  /** Mutated bodies under a JSON content type: the decoder's property. */
  static final int BODY_TRIES = 15_000;
  /** Mutated statuses, content types, encodings and headers (with lightly mutated bodies). */
  static final int HEADER_TRIES = 8_000;
  /** Sync and async on the same answer must agree. */
  static final int ASYNC_TRIES = 1_500;
  /** At most this many failing cases are listed; the rest are counted. */
  private static final int MAX_REPORTED = 5;

  /**
   * The seed of every run without {@code -Dplexauth.fuzz.seed}: a fixed one, so that the suite
   * checks the same answers each time and a failure is a change, not luck.
   */
  static final long DEFAULT_SEED = 20_261_201L;

  /** The operations fuzzed: every one of the spec. */
  private static final List<SpecFixture> OPERATIONS = SpecFixture.all();
  /** What the mutations start from: every example of every operation (see {@link #bases()}). */
  private static final byte[][] BASES = bases();
  /** Every secret a base holds, and the caller's token: none may show up in an exception. */
  private static final String[] SECRETS = secrets();
  private static final String[] SNIPPETS = snippets();
  private static final byte[][] RAW_BYTES = {
    {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0},
    {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
  };
  private static final String[] CONTENT_TYPES = {
    null, "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-16",
    "APPLICATION/JSON", "application/vnd.plex+json", "text/json", "text/plain",
    "text/plain; charset=utf-8", "text/xml;charset=utf-8", "application/xml",
    "text/html; charset=utf-8", "", "*/*", ";;;==", "application/", "json",
    "application/json, text/html", "multipart/form-data; boundary=x",
  };
  private static final String[] ENCODINGS = {
    null, "identity", "gzip", "corrupt-gzip", "GZIP", "deflate", "br", "gzip, identity",
  };
  private static final String[] RETRY_AFTERS = {
    "0", "1", "120", "-1", "99999999999", "2147483648", "1e3", "Wed, 21 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT", "garbage", " 5 ",
  };
  /** Redirect targets: the operations' own paths (absolute, relative, on another port) and junk. */
  private static final String[] LOCATIONS = locations();
  /** The statuses that Plex, proxies and OkHttp treat specially; others are drawn uniformly. */
  private static final Integer[] STATUSES = {
    200, 201, 203, 204, 205, 206, 299, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 403,
    404, 405, 407, 408, 409, 410, 413, 421, 429, 451, 500, 501, 502, 503, 504, 505, 599,
  };
  /** Status lines OkHttp cannot parse (the status code is then unknown: -1 below). */
  private static final String[] MALFORMED_STATUS_LINES = {
    "HTTP/1.1 2x0", "HTTP/1.1 20", "HTTP/1.1 2000", "HTTP/2.0 200", "HTTP/1.1  200", "HTTP/1.1 -20",
  };
  /** Reason phrases, a token or an echo of one among them. */
  private static final String[] REASONS = reasons();

  private final long seed = Long.getLong("plexauth.fuzz.seed", DEFAULT_SEED);
  private final AtomicReference<Answer> answer = new AtomicReference<>();
  private final OkHttpClient shared = new OkHttpClient();
  private MockWebServer server;
  private PlexAuthClient client;

  /** One server answer: a status line, headers and body bytes. */
  private static final class Answer {
    /** The status, or -1 for a malformed status line. */
    int code = 200;
    String reason;
    String malformedStatusLine;
    final Map<String, String> headers = new TreeMap<>();
    byte[] body = new byte[0];
    String encoding;

    MockResponse toResponse() {
      MockResponse response = new MockResponse();
      String reasonPart = reason == null ? " Fuzz" : " " + reason;
      response.setStatus(malformedStatusLine != null ? malformedStatusLine + reasonPart
          : "HTTP/1.1 " + code + reasonPart);
      headers.forEach(response::setHeader);
      Buffer bytes = new Buffer().write(body);
      if ("gzip".equals(encoding) || "GZIP".equals(encoding)) {
        bytes = gzip(body);
      }
      if (encoding != null) {
        response.setHeader("Content-Encoding", encoding.equals("corrupt-gzip") ? "gzip" : encoding);
      }
      return response.setBody(bytes);
    }

    @Override
    public String toString() {
      return (malformedStatusLine == null ? "HTTP " + code : "'" + malformedStatusLine + "'")
          + (reason == null ? "" : " reason=" + escape(bytes(reason)))
          + " headers=" + headers + " encoding=" + encoding + " body=" + escape(body);
    }
  }

  /** What a call gave: a result or a throwable, and the type name used in the statistics. */
  private static final class Outcome {
    final Object result;
    final Throwable failure;

    Outcome(Object result, Throwable failure) {
      this.result = result;
      this.failure = failure;
    }

    String kind() {
      return failure == null ? "result" : failure.getClass().getSimpleName();
    }
  }

  @BeforeEach
  void startServer() throws IOException {
    ConnectionLeakCheck.install();
    server = new MockWebServer();
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer.get().toResponse();
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
    client = PlexAuthClient.builder()
        .okHttpClient(shared)
        .maxRetries(0)
        .baseUrl(server.url("/").toString())
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterEach
  void stopServer() throws Exception {
    try {
      assertEquals(List.of(), ConnectionLeakCheck.problems(shared, List.of(server.getPort())),
          "connections left in use or leaked (seed " + seed + ")");
    } finally {
      client.close();
      server.shutdown();
      shared.dispatcher().executorService().shutdown();
      shared.connectionPool().evictAll();
    }
  }

  @Test
  void mutatedExampleBodiesEndInAResultOrAPlexException() throws Exception {
    Map<String, Integer> seen = run("mutated bodies", BODY_TRIES, FuzzTest::bodyAnswer);

    // The fuzzer must reach both sides of the decoder, or it proves nothing.
    assertTrue(seen.getOrDefault("result", 0) > 0, "no mutated body decoded: " + seen);
    assertTrue(seen.getOrDefault("PlexDecodingException", 0) > 0, "nothing was refused: " + seen);
  }

  @Test
  void mutatedStatusesAndHeadersEndInAResultOrAPlexException() throws Exception {
    Map<String, Integer> seen = run("mutated statuses and headers", HEADER_TRIES,
        FuzzTest::headerAnswer);

    assertTrue(seen.getOrDefault("PlexHttpException", 0) > 0, "no HTTP failure: " + seen);
    assertTrue(seen.getOrDefault("PlexUnauthorizedException", 0) > 0, "no 401/403: " + seen);
  }

  @Test
  void asyncCallsEndLikeSyncCalls() throws Exception {
    List<String> failures = new ArrayList<>();
    Random seeds = new Random(seed);
    for (int i = 0; i < ASYNC_TRIES && !Thread.currentThread().isInterrupted(); i++) {
      Answer a = new Answer();
      asyncAnswer(new Random(seeds.nextLong()), a);
      answer.set(a);
      for (SpecFixture operation : OPERATIONS) {
        Outcome sync = call(operation);
        Outcome async = callAsync(operation);
        List<String> problems = new ArrayList<>(check(operation, a, sync));
        problems.addAll(check(operation, a, async));
        if (!sync.kind().equals(async.kind())
            || sync.result != null && !sync.result.equals(async.result)) {
          problems.add("sync gave " + describe(sync) + " but async gave " + describe(async));
        }
        if (!problems.isEmpty() && failures.size() < MAX_REPORTED) {
          failures.add("try " + i + " (" + operation + "): " + problems + "\n    answer: " + a);
        }
      }
    }
    System.out.println("FuzzTest async vs sync: " + ASYNC_TRIES + " tries x " + OPERATIONS.size()
        + " operations x 2 modes, seed " + seed);
    assertEquals(List.of(), failures, "seed " + seed + "; replay with -Dplexauth.fuzz.seed="
        + seed);
  }

  /** A mutated body, mostly under a JSON content type, with status 200. */
  private static void bodyAnswer(Random random, Answer a) {
    String contentType = random.nextInt(8) == 0
        ? pick(random, CONTENT_TYPES, "application/json") : "application/json";
    if (contentType != null) {
      a.headers.put("Content-Type", contentType);
    }
    a.body = mutate(random, pick(random, BASES), 1 + random.nextInt(4));
    if (random.nextInt(20) == 0) {
      a.body = pick(random, BASES); // the untouched examples must keep working
    }
  }

  /** An answer with a random status, reason, content type, encoding and headers. */
  private static void headerAnswer(Random random, Answer a) {
    a.code = random.nextInt(3) == 0 ? pick(random, STATUSES, 200)
        : random.nextBoolean() ? 200 : 200 + random.nextInt(400);
    if (random.nextInt(6) == 0) {
      a.reason = pick(random, REASONS, "");
    }
    if (random.nextInt(40) == 0) {
      a.malformedStatusLine = pick(random, MALFORMED_STATUS_LINES, "HTTP/1.1 2x0");
      a.code = -1;
    }
    String contentType = pick(random, CONTENT_TYPES, "application/json");
    if (contentType != null) {
      a.headers.put("Content-Type", contentType);
    }
    a.encoding = random.nextInt(3) == 0 ? pick(random, ENCODINGS, null) : null;
    if (random.nextInt(4) == 0) {
      a.headers.put("Retry-After", pick(random, RETRY_AFTERS, "1"));
    }
    if (a.code >= 300 && a.code < 400 && random.nextInt(3) != 0) {
      a.headers.put("Location", pick(random, LOCATIONS, "/"));
    }
    byte[] base = pick(random, BASES);
    a.body = random.nextBoolean() ? base : mutate(random, base, 1 + random.nextInt(2));
    if (random.nextInt(10) == 0) {
      a.body = new byte[0];
    }
  }

  /** A JSON answer, lightly mutated, mostly with status 200. */
  private static void asyncAnswer(Random random, Answer a) {
    a.code = random.nextInt(4) == 0 ? 200 + random.nextInt(400) : 200;
    a.headers.put("Content-Type", "application/json");
    a.body = mutate(random, pick(random, BASES), random.nextInt(3));
  }

  /** Sets up one answer per try. */
  @FunctionalInterface
  private interface AnswerMaker {
    void make(Random random, Answer answer);
  }

  /** Runs the tries, checks each outcome of every operation, and returns the outcome counts. */
  private Map<String, Integer> run(String name, int tries, AnswerMaker maker) {
    Map<String, Integer> seen = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    int failed = 0;
    Random seeds = new Random(seed);
    long start = System.nanoTime();
    for (int i = 0; i < tries && !Thread.currentThread().isInterrupted(); i++) {
      Answer a = new Answer();
      maker.make(new Random(seeds.nextLong()), a);
      answer.set(a);
      for (SpecFixture operation : OPERATIONS) {
        Outcome outcome = call(operation);
        seen.merge(outcome.kind(), 1, Integer::sum);
        List<String> problems = check(operation, a, outcome);
        if (!problems.isEmpty()) {
          failed++;
          if (failures.size() < MAX_REPORTED) {
            failures.add("try " + i + " (" + operation + "): " + problems + "\n    answer: " + a);
          }
        }
      }
    }
    System.out.printf("FuzzTest %s: %d tries x %d operations in %d ms, seed %d, outcomes %s%n",
        name, tries, OPERATIONS.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        seed, seen);
    assertEquals(List.of(), failures, failed + " failing calls with seed " + seed
        + "; replay with -Dplexauth.fuzz.seed=" + seed);
    return seen;
  }

  private Outcome call(SpecFixture operation) {
    try {
      return new Outcome(operation.call(client), null);
    } catch (Throwable t) {
      return new Outcome(null, t);
    }
  }

  private Outcome callAsync(SpecFixture operation) {
    try {
      return new Outcome(operation.callAsync(client).get(15, TimeUnit.SECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome(null, e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      return new Outcome(null, new AssertionError("async call did not complete", e));
    } catch (Throwable t) {
      return new Outcome(null, t);
    }
  }

  /** The property, for one outcome: empty when it holds, else what went wrong. */
  private static List<String> check(SpecFixture operation, Answer a, Outcome outcome) {
    List<String> problems = new ArrayList<>();
    if (outcome.failure == null) {
      checkResult(operation, a, outcome.result, problems);
      return problems;
    }
    Throwable t = outcome.failure;
    if (!(t instanceof PlexException)) {
      problems.add("not a PlexException: " + describe(outcome));
      return problems;
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String text = c.getMessage() + " | " + c
          + (c instanceof PlexHttpException ? " | " + ((PlexHttpException) c).body() : "");
      for (String secret : SECRETS) {
        if (text.contains(secret)) {
          problems.add("a token leaked into " + c.getClass().getName());
        }
      }
    }
    boolean success = a.code >= 200 && a.code < 300;
    if (a.code < 0) {
      if (!(t instanceof PlexIoException)) {
        problems.add("a malformed status line became " + describe(outcome));
      }
    } else if (t instanceof PlexHttpException) {
      PlexHttpException e = (PlexHttpException) t;
      if (success) {
        problems.add("a 2xx answer became " + describe(outcome));
      } else if (e.code() != a.code) {
        problems.add("code " + e.code() + " for an answer of " + a.code);
      }
      if ((a.code == 401 || a.code == 403) != (t instanceof PlexUnauthorizedException)) {
        problems.add("HTTP " + a.code + " became " + describe(outcome));
      }
      if (e.body().length() > Outcomes.MAX_ERROR_BODY_CHARS) {
        problems.add("body() of " + e.body().length() + " characters");
      }
    } else if (t instanceof PlexDecodingException) {
      if (((PlexDecodingException) t).code() != a.code || !success) {
        problems.add("HTTP " + a.code + " became " + describe(outcome));
      }
    } else if (t instanceof PlexIoException && (a.code == 401 || a.code == 403)) {
      problems.add("HTTP " + a.code + " became " + describe(outcome));
    }
    if (t instanceof PlexIoException && !(t.getCause() instanceof IOException)) {
      problems.add("PlexIoException without an IOException cause: " + describe(outcome));
    }
    return problems;
  }

  /** What the spec guarantees of a result, and that its {@code toString()} hides its secrets. */
  private static void checkResult(SpecFixture operation, Answer a, Object result,
      List<String> problems) {
    if (a.code < 200 || a.code >= 300) {
      problems.add("HTTP " + a.code + " gave a result: " + result);
    }
    if (!operation.operation().resultType().isInstance(result)) {
      problems.add("not a " + operation.operation().resultType().getSimpleName() + ": " + result);
      return;
    }
    Schema<?> schema = resultSchema(operation);
    keepsItsSchema(result, schema, "result", problems);
    if (!problems.isEmpty()) {
      return;
    }
    // toString() must not depend on a secret's value: compare with the same result holding
    // other secrets.
    Object twin = withOtherSecrets(result);
    if (!twin.toString().equals(result.toString())) {
      problems.add("toString() depends on a secret's value: " + result
          + "\n    with other secrets: " + twin);
    }
  }

  /**
   * Checks what the decoder promises of a model: every required value present, every list present
   * and free of nulls, every string within its length and pattern, and the same for nested models.
   */
  private static void keepsItsSchema(Object model, Schema<?> schema, String where,
      List<String> problems) {
    List<ModelProperty> properties = ModelProperties.of(model.getClass());
    if (properties == null || schema == null || schema.getProperties() == null) {
      return;
    }
    for (ModelProperty property : properties) {
      Schema<?> declared = schema.getProperties().get(property.wireName());
      Object value = property.of(model);
      String at = where + "." + property.wireName();
      boolean required = schema.getRequired() != null
          && schema.getRequired().contains(property.wireName());
      if (value == null) {
        if (required || "array".equals(SpecJson.typeOf(declared))) {
          problems.add(at + " is null: required, or a list (an absent list is empty)");
        }
      } else if (value instanceof List) {
        List<?> items = (List<?>) value;
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i) == null) {
            problems.add(at + "[" + i + "] is null");
          } else {
            keepsItsSchema(items.get(i), declared.getItems(), at + "[" + i + "]", problems);
          }
        }
      } else if (value instanceof String) {
        String text = (String) value;
        if (declared.getMinLength() != null && text.length() < declared.getMinLength()
            || declared.getMaxLength() != null && text.length() > declared.getMaxLength()
            || declared.getPattern() != null
                && !Pattern.compile(declared.getPattern()).matcher(text).find()) {
          problems.add(at + " breaks its length or pattern");
        }
      } else {
        keepsItsSchema(value, declared, at, problems);
      }
    }
  }

  /**
   * A copy of a model, through its own {@code newBuilder()}, with every {@code x-secret} value
   * (at any depth) replaced by another one. Not through JSON: a round trip would change what the
   * decoder let through (a lone surrogate comes back as {@code ?}).
   */
  private static Object withOtherSecrets(Object model) {
    List<ModelProperty> properties = ModelProperties.of(model.getClass());
    if (properties == null) {
      return model;
    }
    try {
      Object builder = model.getClass().getMethod("newBuilder").invoke(model);
      for (ModelProperty property : properties) {
        Object value = property.of(model);
        Object other;
        if (property.secret()) {
          other = value == null ? null : "transient-other";
        } else if (value instanceof List) {
          List<Object> items = new ArrayList<>();
          ((List<?>) value).forEach(item -> items.add(withOtherSecrets(item)));
          other = items;
        } else if (value != null && ModelProperties.of(value.getClass()) != null) {
          other = withOtherSecrets(value);
        } else {
          continue;
        }
        setter(builder.getClass(), property.javaName()).invoke(builder, other);
      }
      return builder.getClass().getMethod("build").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot rebuild " + model.getClass().getSimpleName(), e);
    }
  }

  private static Method setter(Class<?> builder, String name) throws NoSuchMethodException {
    for (Method method : builder.getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == 1) {
        return method;
      }
    }
    throw new NoSuchMethodException(builder.getName() + "." + name);
  }

  /** The schema of what the operation's client method returns. */
  private static Schema<?> resultSchema(SpecFixture operation) {
    Schema<?> schema = operation.okSchema();
    for (String name : SpecJson.unwrapPath(operation)) {
      schema = schema.getProperties().get(name);
    }
    return schema;
  }

  /**
   * Every example of every operation: its 200 answer in JSON, in each of its loose forms and in
   * XML, and every error example (PMS's HTML pages and plex.tv's JSON error lists).
   */
  private static byte[][] bases() {
    Set<String> bases = new LinkedHashSet<>();
    for (SpecFixture operation : OPERATIONS) {
      bases.add(operation.okJson());
      for (LooseJson.Form form : LooseJson.forms()) {
        bases.add(LooseJson.loosen(operation.okJson(), operation.okSchema(), form));
      }
      operation.spec().getResponses().forEach((code, answer) -> {
        if (answer.getContent() != null) {
          for (String type : answer.getContent().keySet()) {
            String example = operation.errorExample(code, type);
            if (example != null) {
              bases.add(example);
            }
          }
        }
      });
    }
    List<byte[]> bytes = new ArrayList<>();
    bases.forEach(base -> bytes.add(bytes(base)));
    return bytes.toArray(new byte[0][]);
  }

  private static String[] secrets() {
    Set<String> secrets = new LinkedHashSet<>();
    secrets.add(CALLER_TOKEN);
    for (SpecFixture operation : OPERATIONS) {
      secrets.addAll(SpecFixture.secretsIn(operation.expected()));
    }
    return secrets.toArray(new String[0]);
  }

  private static String[] locations() {
    List<String> locations = new ArrayList<>(List.of(
        "http://127.0.0.2:9/", "https://[::1]:1/", "::::", "", "//127.0.0.3:9/"));
    for (SpecFixture operation : OPERATIONS) {
      locations.add(operation.path());
      locations.add(operation.path().substring(1));
      locations.add("http://localhost:1" + operation.path());
    }
    return locations.toArray(new String[0]);
  }

  private static String[] reasons() {
    List<String> reasons = new ArrayList<>(List.of("", "OK", "Weird\tReason"));
    for (String secret : SECRETS) {
      reasons.add(secret);
      reasons.add("echo " + secret);
    }
    return reasons.toArray(new String[0]);
  }

  /**
   * JSON punctuation and loaded values, and the names of the answers' properties (as a key, and
   * as a key opening an array), so that mutations build plausible wrong shapes.
   */
  private static String[] snippets() {
    Set<String> snippets = new LinkedHashSet<>(List.of(
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "0", "-1", "1e999",
        "-0.0", "99999999999999999999999", "2147483648", "\"1\"", "\"\"", "[]", "{}", "[null]",
        "\\u0000", "\\ud800", "\\u", "transient-", "<html>", "<?xml", "\uFEFF", "\u00e9",
        "\t\r\n ", "/*", "#"));
    snippets.addAll(List.of(SECRETS));
    for (SpecFixture operation : OPERATIONS) {
      for (SpecJson.Site site : SpecJson.sites(operation.okJson(), operation.okSchema())) {
        if (site.name() != null) {
          String key = "\"" + site.name() + "\":";
          snippets.add(key);
          snippets.add("{" + key);
          snippets.add(key + ("array".equals(site.type()) ? "[" : "{"));
        }
      }
    }
    return snippets.toArray(new String[0]);
  }

  private static String describe(Outcome outcome) {
    if (outcome.failure == null) {
      return "result " + outcome.result;
    }
    Throwable t = outcome.failure;
    return t.getClass().getName() + ": " + t.getMessage()
        + (t.getCause() == null ? "" : " (cause " + t.getCause() + ")");
  }

  // ---------------------------------------------------------------------------------------------
  // Byte-level mutations.

  /** Applies {@code count} random mutations to a copy of the bytes. */
  static byte[] mutate(Random random, byte[] original, int count) {
    Buffer bytes = new Buffer().write(original);
    for (int i = 0; i < count; i++) {
      byte[] current = bytes.readByteArray();
      bytes = new Buffer().write(mutateOnce(random, current));
    }
    return bytes.readByteArray();
  }

  private static byte[] mutateOnce(Random random, byte[] b) {
    int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
    switch (random.nextInt(9)) {
      case 0: // flip one bit
        if (b.length > 0) {
          int i = random.nextInt(b.length);
          b = b.clone();
          b[i] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      case 1: // truncate
        return java.util.Arrays.copyOf(b, at);
      case 2: // delete a range
        return splice(b, at, Math.min(b.length, at + 1 + random.nextInt(16)), new byte[0]);
      case 3: // duplicate a range
        int end = Math.min(b.length, at + 1 + random.nextInt(32));
        return splice(b, at, at, java.util.Arrays.copyOfRange(b, at, end));
      case 4: // JSON punctuation or a loaded value
        return splice(b, at, at, bytes(pick(random, SNIPPETS, "{")));
      case 5: // replace what follows a colon with another value
        int colon = indexOf(b, (byte) ':', at);
        int from = colon < 0 ? at : colon + 1;
        int to = Math.min(b.length, from + random.nextInt(48));
        return splice(b, from, to, bytes(pick(random, SNIPPETS, "null")));
      case 6: // deep nesting, past Moshi's limit of 255 levels
        // Up to 3000: inserted into a secret's value in an error body, it also checks that the
        // redaction of long secrets cannot overflow the stack.
        int depth = 1 + random.nextInt(random.nextBoolean() ? 300 : 3000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return splice(b, at, at, bytes(open.repeat(depth)
            + (random.nextBoolean() ? "1" + close.repeat(depth) : "")));
      case 7: // raw bytes that are not valid UTF-8, or are unusual
        return splice(b, at, at, RAW_BYTES[random.nextInt(RAW_BYTES.length)]);
      default: // a huge number
        StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
        int length = 1 + random.nextInt(random.nextBoolean() ? 20 : 400);
        for (int i = 0; i < length; i++) {
          digits.append((char) ('0' + random.nextInt(10)));
        }
        if (random.nextBoolean()) {
          digits.append("e").append(random.nextInt(100_000));
        }
        return splice(b, at, at, bytes(digits.toString()));
    }
  }

  private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
    byte[] result = new byte[b.length - (to - from) + insert.length];
    System.arraycopy(b, 0, result, 0, from);
    System.arraycopy(insert, 0, result, from, insert.length);
    System.arraycopy(b, to, result, from + insert.length, b.length - to);
    return result;
  }

  private static int indexOf(byte[] b, byte value, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static <T> T pick(Random random, T[] values, T ifEmpty) {
    return values.length == 0 ? ifEmpty : values[random.nextInt(values.length)];
  }

  private static byte[] pick(Random random, byte[][] values) {
    return values[random.nextInt(values.length)];
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Buffer gzip(byte[] body) {
    Buffer gzipped = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(gzipped))) {
      sink.write(body);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return gzipped;
  }

  /** The bytes as printable text, cut to a readable length, for failure messages. */
  private static String escape(byte[] bytes) {
    String text = ByteString.of(bytes).utf8();
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c < ' ' || c > '~' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.length() > 400 ? out.substring(0, 400) + "...(" + bytes.length + " bytes)" : out
        .toString();
  }
}

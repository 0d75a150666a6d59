package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.SECRETS;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static dev.plexauth.FacadeTestSupport.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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
 * the official fixtures (and of PMS's XML and HTML forms), with random statuses, content types,
 * encodings and headers, through both operations. The property: every outcome is a result that
 * keeps its documented guarantees, or a {@link PlexException} subtype that fits the status and
 * carries no token. Never a NullPointerException, IllegalArgumentException, or a raw Moshi,
 * Retrofit or OkHttp exception: the inputs are valid, only the answers are hostile.
 *
 * <p>Each run draws a new seed and prints it; {@code -Dplexauth.fuzz.seed=N} replays a run, and
 * every failure names its seed and try and shows the answer that caused it. One MockWebServer per
 * test serves the answer set for the current try; retries are off, so each answer is seen once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FuzzTest {
  /** Mutated bodies under a JSON content type: the decoder's property. */
  static final int BODY_TRIES = 15_000;
  /** Mutated statuses, content types, encodings and headers (with lightly mutated bodies). */
  static final int HEADER_TRIES = 8_000;
  /** Sync and async on the same answer must agree. */
  static final int ASYNC_TRIES = 1_500;
  /** At most this many failing cases are listed; the rest are counted. */
  private static final int MAX_REPORTED = 5;

  private static final byte[][] BASES = {
    bytes(fixture("transient-token.json")),
    bytes(fixture("source-connection-information.json")),
    bytes(fixture("transient-token.xml")),
    bytes(fixture("unauthorized.html")),
    bytes(fixture("unauthorized-errors.json")),
    bytes("<MediaContainer size=\"1\"><Device name=\"PlexCorp\" clientIdentifier=\"243b\" "
        + "accessToken=\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\"><Connection "
        + "protocol=\"https\" address=\"10.0.2.123\" port=\"32400\" local=\"1\" "
        + "uri=\"https://10-0-2-123.plex.direct:32400\"/></Device></MediaContainer>"),
    // Plex's loose forms: Device as a one-element array, flags and numbers as strings.
    bytes("{\"MediaContainer\":{\"size\":\"1\",\"Device\":[{\"name\":\"n\",\"clientIdentifier\":"
        + "\"abc\",\"accessToken\":\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\","
        + "\"Connection\":{\"protocol\":\"http\",\"address\":\"10.0.0.2\",\"port\":\"32400\","
        + "\"local\":\"1\",\"relay\":0,\"uri\":\"http://10.0.0.2:32400\"}}]}}"),
  };

  private static final String[] SNIPPETS = {
    "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "0", "-1", "1e999",
    "-0.0", "99999999999999999999999", "2147483648", "\"1\"", "\"\"", "[]", "{}", "[null]",
    "{\"MediaContainer\":", "\"Device\":", "\"token\":", "\"Connection\":[", "\\u0000",
    "\\ud800", "\\u", "transient-", TRANSIENT_TOKEN, CALLER_TOKEN, "<html>", "<?xml",
    "\uFEFF", "\u00e9", "\t\r\n ", "/*", "#",
  };
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
  private static final String[] LOCATIONS = {
    "/security/token", "security/resources", "http://127.0.0.2:9/", "https://[::1]:1/", "::::",
    "", "//127.0.0.3:9/", "http://localhost:1/security/token",
  };
  /** The statuses that Plex, proxies and OkHttp treat specially; others are drawn uniformly. */
  private static final Integer[] STATUSES = {
    200, 201, 203, 204, 205, 206, 299, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 403,
    404, 405, 407, 408, 409, 410, 413, 421, 429, 451, 500, 501, 502, 503, 504, 505, 599,
  };
  /** Status lines OkHttp cannot parse (the status code is then unknown: -1 below). */
  private static final String[] MALFORMED_STATUS_LINES = {
    "HTTP/1.1 2x0", "HTTP/1.1 20", "HTTP/1.1 2000", "HTTP/2.0 200", "HTTP/1.1  200", "HTTP/1.1 -20",
  };
  private static final String[] REASONS = {
    "", "OK", "Weird\tReason", TRANSIENT_TOKEN, "echo " + CALLER_TOKEN,
  };

  private final long seed = Long.getLong("plexauth.fuzz.seed", new Random().nextLong());
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

  private enum Operation {
    TOKEN,
    SOURCE
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
  void mutatedFixtureBodiesEndInAResultOrAPlexException() throws Exception {
    Map<String, Integer> seen = run("mutated bodies", BODY_TRIES, (random, a) -> {
      String contentType = random.nextInt(8) == 0
          ? pick(random, CONTENT_TYPES, "application/json") : "application/json";
      if (contentType != null) {
        a.headers.put("Content-Type", contentType);
      }
      a.body = mutate(random, pick(random, BASES), 1 + random.nextInt(4));
      if (random.nextInt(20) == 0) {
        a.body = pick(random, BASES); // the untouched fixtures must keep working
      }
    });

    // The fuzzer must reach both sides of the decoder, or it proves nothing.
    assertTrue(seen.getOrDefault("result", 0) > 0, "no mutated body decoded: " + seen);
    assertTrue(seen.getOrDefault("PlexDecodingException", 0) > 0, "nothing was refused: " + seen);
  }

  @Test
  void mutatedStatusesAndHeadersEndInAResultOrAPlexException() throws Exception {
    Map<String, Integer> seen = run("mutated statuses and headers", HEADER_TRIES, (random, a) -> {
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
    });

    assertTrue(seen.getOrDefault("PlexHttpException", 0) > 0, "no HTTP failure: " + seen);
    assertTrue(seen.getOrDefault("PlexUnauthorizedException", 0) > 0, "no 401/403: " + seen);
  }

  @Test
  void asyncCallsEndLikeSyncCalls() throws Exception {
    List<String> failures = new ArrayList<>();
    Random seeds = new Random(seed);
    for (int i = 0; i < ASYNC_TRIES && !Thread.currentThread().isInterrupted(); i++) {
      long trySeed = seeds.nextLong();
      Random random = new Random(trySeed);
      Answer a = new Answer();
      a.code = random.nextInt(4) == 0 ? 200 + random.nextInt(400) : 200;
      a.headers.put("Content-Type", "application/json");
      a.body = mutate(random, pick(random, BASES), random.nextInt(3));
      answer.set(a);
      for (Operation operation : Operation.values()) {
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
    System.out.println("FuzzTest async vs sync: " + ASYNC_TRIES + " tries x 2 operations x 2"
        + " modes, seed " + seed);
    assertEquals(List.of(), failures, "replay with -Dplexauth.fuzz.seed=" + seed);
  }

  /** Sets up one answer per try. */
  @FunctionalInterface
  private interface AnswerMaker {
    void make(Random random, Answer answer);
  }

  /** Runs the tries, checks each outcome of both operations, and returns the outcome counts. */
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
      for (Operation operation : Operation.values()) {
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
    System.out.printf("FuzzTest %s: %d tries x 2 operations in %d ms, seed %d, outcomes %s%n",
        name, tries, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), seed, seen);
    assertEquals(List.of(), failures, failed + " failing calls; replay with"
        + " -Dplexauth.fuzz.seed=" + seed);
    return seen;
  }

  private Outcome call(Operation operation) {
    try {
      return new Outcome(operation == Operation.TOKEN ? client.getTransientToken()
          : client.getSourceConnectionInformation(FacadeTestSupport.SOURCE), null);
    } catch (Throwable t) {
      return new Outcome(null, t);
    }
  }

  private Outcome callAsync(Operation operation) {
    try {
      return new Outcome((operation == Operation.TOKEN ? client.getTransientTokenAsync()
          : client.getSourceConnectionInformationAsync(FacadeTestSupport.SOURCE))
          .get(15, TimeUnit.SECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome(null, e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      return new Outcome(null, new AssertionError("async call did not complete", e));
    } catch (Throwable t) {
      return new Outcome(null, t);
    }
  }

  /** The property, for one outcome: empty when it holds, else what went wrong. */
  private static List<String> check(Operation operation, Answer a, Outcome outcome) {
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

  /** The documented guarantees of a result. */
  private static void checkResult(Operation operation, Answer a, Object result,
      List<String> problems) {
    if (a.code < 200 || a.code >= 300) {
      problems.add("HTTP " + a.code + " gave a result: " + result);
    }
    if (operation == Operation.TOKEN) {
      TransientToken token = (TransientToken) result;
      if (token == null || token.token() == null || token.token().isBlank()) {
        problems.add("a transient token result without a token: " + token);
      }
    } else {
      SourceConnectionInformation source = (SourceConnectionInformation) result;
      if (source == null || source.clientIdentifier() == null || source.connections() == null
          || source.connections().contains(null)) {
        problems.add("a source result without its guarantees: " + source);
      }
    }
    if (!problems.isEmpty()) {
      return;
    }
    // toString() must not depend on the token's value: compare with the same result holding
    // another token.
    Object twin = operation == Operation.TOKEN
        ? ((TransientToken) result).newBuilder().token("transient-other").build()
        : twinOf((SourceConnectionInformation) result);
    if (!twin.toString().equals(result.toString())) {
      problems.add("toString() of the result shows its token: " + result);
    }
  }

  private static SourceConnectionInformation twinOf(SourceConnectionInformation source) {
    return source.newBuilder()
        .accessToken(source.accessToken() == null ? null : "transient-other").build();
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
      case 6: // deep nesting
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

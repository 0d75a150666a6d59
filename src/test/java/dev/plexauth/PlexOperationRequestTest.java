package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments.ArgumentSet;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every operation of the spec sends, sync and async, with nothing written per operation: its
 * method and path, its arguments encoded once, the token in one header only, the Plex identity
 * headers; what each overload leaves out; how an {@code x-flag} parameter goes on the wire; and
 * that every call is sent and answered on its own. Requests are also checked against the spec by
 * the contract interceptor of {@link FacadeTestSupport#builderFor}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlexOperationRequestTest extends MockServerTest {
  /** The optional identity headers and a value for each, set through the builder's setters. */
  private static final Map<String, String> IDENTITY = identity();

  static Stream<SpecFixture> operations() {
    return SpecFixture.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void sendsTheSpecMethodPathAndArgumentsEncodedOnceWithTheTokenInAHeaderOnly(SpecCall call)
      throws Exception {
    server.enqueue(json(call.fixture().okJson()));

    try (PlexAuthClient client = builderFor(server).build()) {
      call.call(client);
    }

    RecordedRequest request = take(server);
    HttpUrl url = request.getRequestUrl();
    assertEquals(call.fixture().operation().method(), request.getMethod());
    assertEquals(call.fixture().path(), url.encodedPath());
    assertEquals(expectedQuery(call.fixture(), call.fixture().arguments()), url.encodedQuery());
    assertEquals(call.expectedTokens(), request.getHeaders().values("X-Plex-Token"));
    assertEquals(List.of(CLIENT_ID), request.getHeaders().values("X-Plex-Client-Identifier"));
    assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
    assertFalse(url.toString().contains(CALLER_TOKEN), url.toString());
    assertNull(url.queryParameter("X-Plex-Token"));
    assertEquals(0, request.getBodySize());
  }

  /** Each string parameter that is not an enum, its example given reserved characters. */
  static Stream<ArgumentSet> freeTextParameters() {
    List<ArgumentSet> sets = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      for (Parameter parameter : SpecJson.parameters(fixture)) {
        String example = fixture.allArguments().text(parameter.getName());
        if (example == null || !"string".equals(SpecJson.typeOf(parameter.getSchema()))
            || parameter.getSchema().getEnum() != null) {
          continue;
        }
        String value = example + "/a%2Fb&c=d+e?f#g";
        String pattern = parameter.getSchema().getPattern();
        if (pattern == null || Pattern.compile(pattern).matcher(value).find()) {
          sets.add(org.junit.jupiter.params.provider.Arguments.argumentSet(
              fixture + " " + parameter.getName(), fixture, parameter.getName(), value));
        }
      }
    }
    return sets.stream();
  }

  @ParameterizedTest
  @MethodSource("freeTextParameters")
  void valueWithReservedCharactersArrivesAsGiven(SpecFixture fixture, String name, String value)
      throws Exception {
    server.enqueue(json(fixture.okJson()));
    server.enqueue(json(fixture.okJson()));
    Arguments args = fixture.arguments().put(name, value);

    try (PlexAuthClient client = builderFor(server).build()) {
      new SpecCall(fixture, false).call(client, args);
      new SpecCall(fixture, true).call(client, args);
    }

    for (int i = 0; i < 2; i++) {
      HttpUrl url = take(server).getRequestUrl();
      assertEquals(value, url.queryParameter(name));
      assertEquals(expectedQuery(fixture, args), url.encodedQuery());
      assertNull(url.queryParameter("c"), "the value's & started a parameter: " + url);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void eachOverloadSendsTheOnlyValueOfEachRequiredParameterItLeavesOutAndNoOptionalOne(
      SpecFixture fixture) throws Exception {
    List<SpecParameter> all = fixture.operation().parameters();
    Map<String, String> single = singleValuesInTheSpec(fixture);
    List<SpecParameter> required = new ArrayList<>();
    List<SpecParameter> multiValued = new ArrayList<>();
    for (SpecParameter parameter : all) {
      if (parameter.required()) {
        required.add(parameter);
        if (!single.containsKey(parameter.name())) {
          multiValued.add(parameter);
        }
      }
    }
    // The overloads the spec calls for: every parameter; the required ones; the required ones
    // that allow more than one value.
    Map<Integer, List<SpecParameter>> shapes = new TreeMap<>();
    shapes.put(all.size(), all);
    shapes.put(required.size(), required);
    shapes.put(multiValued.size(), multiValued);
    Arguments examples = fixture.allArguments();

    String async = fixture.operationId() + "Async";
    for (List<Method> overloads : List.of(methods(fixture.operationId(), false),
        methods(async, false), methods(async, true))) {
      TreeSet<Integer> arities = new TreeSet<>();
      overloads.forEach(method -> arities.add(spanned(method)));
      assertEquals(shapes.keySet(), arities, overloads + " overloads");
      for (Method overload : overloads) {
        List<SpecParameter> takes = shapes.get(spanned(overload));
        Object[] values = new Object[takes.size()];
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < takes.size(); i++) {
          String text = examples.text(takes.get(i).name());
          assertTrue(text != null || !takes.get(i).required(),
              takes.get(i).name() + " needs an example in the spec");
          values[i] = text == null ? null : convert(overload.getParameterTypes()[i], text);
        }
        for (SpecParameter parameter : all) {
          int at = takes.indexOf(parameter);
          if (at >= 0 && values[at] != null) {
            expected.put(parameter.name(), wire(values[at]));
          } else if (at < 0 && parameter.required()) {
            expected.put(parameter.name(), single.get(parameter.name()));
          }
        }
        server.enqueue(json(fixture.okJson()));

        try (PlexAuthClient client = builderFor(server).build()) {
          Object result = invoke(overload, client, values);
          assertEquals(fixture.expected(), result, overload.toString());
        }

        assertEquals(expected, query(take(server).getRequestUrl()), overload.toString());
      }
    }
  }

  /** Each {@code x-flag} parameter of each operation, sync and async. */
  static Stream<ArgumentSet> flagParameters() {
    return SpecCall.all().flatMap(call -> SpecJson.parameters(call.fixture()).stream()
        .filter(parameter -> parameter.getExtensions() != null
            && Boolean.TRUE.equals(parameter.getExtensions().get("x-flag")))
        .map(parameter -> org.junit.jupiter.params.provider.Arguments.argumentSet(
            call + " " + parameter.getName(), call, parameter.getName())));
  }

  @ParameterizedTest
  @MethodSource("flagParameters")
  void flagParameterIsSentAsOneForTrueAndZeroForFalse(SpecCall call, String name)
      throws Exception {
    server.enqueue(json(call.fixture().okJson()));
    server.enqueue(json(call.fixture().okJson()));

    try (PlexAuthClient client = builderFor(server).build()) {
      call.call(client, call.fixture().arguments().put(name, "true"));
      call.call(client, call.fixture().arguments().put(name, "false"));
    }

    assertEquals("1", take(server).getRequestUrl().queryParameter(name));
    assertEquals("0", take(server).getRequestUrl().queryParameter(name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void sendsEveryIdentityHeaderThatIsSetOnceAndNoneThatIsNot(SpecCall call) throws Exception {
    server.enqueue(json(call.fixture().okJson()));
    server.enqueue(json(call.fixture().okJson()));
    PlexAuthClient.Builder described = builderFor(server);
    described.product(IDENTITY.get("X-Plex-Product")).version(IDENTITY.get("X-Plex-Version"))
        .platform(IDENTITY.get("X-Plex-Platform"))
        .platformVersion(IDENTITY.get("X-Plex-Platform-Version"))
        .device(IDENTITY.get("X-Plex-Device")).deviceName(IDENTITY.get("X-Plex-Device-Name"))
        .model(IDENTITY.get("X-Plex-Model")).deviceVendor(IDENTITY.get("X-Plex-Device-Vendor"));

    try (PlexAuthClient plain = builderFor(server).build();
        PlexAuthClient client = described.build()) {
      call.call(plain);
      call.call(client);
    }

    RecordedRequest bare = take(server);
    RecordedRequest full = take(server);
    IDENTITY.forEach((header, value) -> {
      assertNull(bare.getHeader(header), header);
      assertEquals(List.of(value), full.getHeaders().values(header), header);
    });
    for (RecordedRequest request : List.of(bare, full)) {
      assertEquals(List.of(CLIENT_ID), request.getHeaders().values("X-Plex-Client-Identifier"));
      assertEquals(call.expectedTokens(), request.getHeaders().values("X-Plex-Token"));
      assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void keepsTheCallersOwnHeadersAndReplacesTheirPlexHeaders(SpecCall call) throws Exception {
    server.enqueue(json(call.fixture().okJson()));
    OkHttpClient callers = new OkHttpClient.Builder()
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .header("X-Request-Id", "r-42")
            .header("x-plex-token", "callers-stale-token")
            .addHeader("X-PLEX-CLIENT-IDENTIFIER", "stale-id")
            .header("accept", "text/xml")
            .build()))
        .build();

    try (PlexAuthClient client =
        builderFor(server).okHttpClient(callers).product("Plex Auth Test").build()) {
      call.call(client);
    }

    RecordedRequest request = take(server);
    assertEquals(List.of("r-42"), request.getHeaders().values("X-Request-Id"));
    // The caller's stale token is replaced, or dropped where the operation takes none.
    assertEquals(call.expectedTokens(), request.getHeaders().values("X-Plex-Token"));
    assertEquals(List.of(CLIENT_ID), request.getHeaders().values("X-Plex-Client-Identifier"));
    assertEquals(List.of("Plex Auth Test"), request.getHeaders().values("X-Plex-Product"));
    assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void keepsThePathPrefixOfTheBaseUrlWithOrWithoutItsTrailingSlash(SpecCall call)
      throws Exception {
    for (String prefix : List.of("/plex", "/plex/")) {
      server.enqueue(json(call.fixture().okJson()));

      try (PlexAuthClient proxied =
          builderFor(server).baseUrl(server.url(prefix).toString()).build()) {
        assertEquals(call.fixture().expected(), call.call(proxied), prefix);
      }

      HttpUrl url = take(server).getRequestUrl();
      assertEquals("/plex" + call.fixture().path(), url.encodedPath(), prefix);
      assertEquals(expectedQuery(call.fixture(), call.fixture().arguments()), url.encodedQuery());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void everyCallIsSentAndGetsItsOwnAnswerNothingIsCachedOrReused(SpecCall call)
      throws Exception {
    String first = call.fixture().okJson();
    String second = withEveryFreeStringChanged(call.fixture());
    server.enqueue(json(first));
    server.enqueue(json(second));

    Object one;
    Object two;
    try (PlexAuthClient client = builderFor(server).build()) {
      one = call.call(client);
      two = call.call(client);
    }

    assertEquals(call.fixture().decode(first), one);
    assertEquals(call.fixture().decode(second), two);
    assertNotEquals(one, two, "the second answer differs from the first: " + second);
    assertEquals(2, server.getRequestCount());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void asyncVariantSendsTheSameRequestAndReturnsAnEqualValue(SpecFixture fixture)
      throws Exception {
    server.enqueue(json(fixture.okJson()));
    server.enqueue(json(fixture.okJson()));

    Object sync;
    Object async;
    try (PlexAuthClient client = builderFor(server).build()) {
      sync = fixture.call(client);
      async = fixture.callAsync(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    assertNotNull(sync);
    assertNotSame(sync, async);
    assertEquals(sync, async);
    RecordedRequest first = take(server);
    RecordedRequest second = take(server);
    assertEquals(first.getRequestLine(), second.getRequestLine());
    assertEquals(first.getHeaders(), second.getHeaders());
  }

  /** The query the client must send for these arguments: each value encoded once, in order. */
  static String expectedQuery(SpecFixture fixture, Arguments args) {
    HttpUrl.Builder url = new HttpUrl.Builder().scheme("http").host("localhost");
    for (SpecParameter parameter : fixture.operation().parameters()) {
      String text = args.text(parameter.name());
      if (text != null) {
        url.addQueryParameter(parameter.name(), text);
      }
    }
    return url.build().encodedQuery();
  }

  /** The example with each string that has no enum and keeps its pattern given a suffix. */
  private static String withEveryFreeStringChanged(SpecFixture fixture) {
    String changed = fixture.okJson();
    for (SpecJson.Site site : SpecJson.sites(fixture.okJson(), fixture.okSchema())) {
      if (!"string".equals(site.type()) || site.schema().getEnum() != null) {
        continue;
      }
      String next = site.in(SpecJson.tree(changed)).asText() + "-second";
      String pattern = site.schema().getPattern();
      if (pattern == null || Pattern.compile(pattern).matcher(next).find()) {
        changed = SpecJson.replace(changed, site,
            com.fasterxml.jackson.databind.node.TextNode.valueOf(next));
      }
    }
    return changed;
  }

  /** The only value of each parameter whose schema allows one, read from the spec itself. */
  private static Map<String, String> singleValuesInTheSpec(SpecFixture fixture) {
    Map<String, String> single = new LinkedHashMap<>();
    for (Parameter parameter : SpecJson.parameters(fixture)) {
      List<?> values = parameter.getSchema().getEnum();
      if (values != null && values.size() == 1) {
        single.put(parameter.getName(), String.valueOf(values.get(0)));
      }
    }
    return single;
  }

  /** The client's methods of this name: those that take a callback last, or the others. */
  private static List<Method> methods(String name, boolean callback) {
    List<Method> methods = new ArrayList<>();
    for (Method method : PlexAuthClient.class.getMethods()) {
      if (method.getName().equals(name) && takesCallback(method) == callback) {
        methods.add(method);
      }
    }
    return methods;
  }

  private static boolean takesCallback(Method method) {
    Class<?>[] types = method.getParameterTypes();
    return types.length > 0 && types[types.length - 1] == PlexCallback.class;
  }

  /** How many of the spec's parameters a method takes (all but a callback). */
  private static int spanned(Method method) {
    return method.getParameterCount() - (takesCallback(method) ? 1 : 0);
  }

  /** Text as the Java type the client method takes, as the generated registry converts it. */
  private static Object convert(Class<?> type, String text) throws ReflectiveOperationException {
    if (type == String.class) {
      return text;
    }
    if (type == Boolean.class) {
      return Arguments.flag(text);
    }
    if (type == Integer.class) {
      return Arguments.integer(text);
    }
    if (type == Long.class) {
      return Arguments.longInteger(text);
    }
    if (type == Double.class) {
      return Arguments.number(text);
    }
    if (type.isEnum()) {
      return Arguments.oneOf(text, type.getEnumConstants());
    }
    throw new AssertionError("no conversion to " + type + " in this test");
  }

  /** A value as the spec puts it on the wire: a flag as 1 or 0, anything else as its text. */
  private static String wire(Object value) {
    if (value instanceof Boolean) {
      return (Boolean) value ? "1" : "0";
    }
    return String.valueOf(value);
  }

  private static Object invoke(Method method, PlexAuthClient client, Object[] values)
      throws Exception {
    try {
      if (takesCallback(method)) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Object[] withCallback = java.util.Arrays.copyOf(values, values.length + 1);
        withCallback[values.length] = Callbacks.completing(outcome);
        assertInstanceOf(PlexCancellable.class, method.invoke(client, withCallback));
        return outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
      Object result = method.invoke(client, values);
      return result instanceof CompletableFuture
          ? ((CompletableFuture<?>) result).get(WAIT_SECONDS, TimeUnit.SECONDS) : result;
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  private static Map<String, String> query(HttpUrl url) {
    Map<String, String> query = new LinkedHashMap<>();
    for (int i = 0; i < url.querySize(); i++) {
      assertNotNull(url.queryParameterValue(i), url.queryParameterName(i) + " has no value");
      assertFalse(query.containsKey(url.queryParameterName(i)), "twice: " + url);
      query.put(url.queryParameterName(i), url.queryParameterValue(i));
    }
    return query;
  }

  private static Map<String, String> identity() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Plex-Product", "Plex Auth Test");
    headers.put("X-Plex-Version", "1.2.0");
    headers.put("X-Plex-Platform", "Linux");
    headers.put("X-Plex-Platform-Version", "6.8");
    headers.put("X-Plex-Device", "PC");
    headers.put("X-Plex-Device-Name", "Test Box");
    headers.put("X-Plex-Model", "x86_64");
    headers.put("X-Plex-Device-Vendor", "Acme");
    return headers;
  }
}

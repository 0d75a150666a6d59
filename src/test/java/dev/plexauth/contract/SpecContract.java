package dev.plexauth.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.Body;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.plexauth.internal.Redaction;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The spec, {@code openapi/plex-auth.yaml}, as a checker of HTTP exchanges, built on
 * swagger-request-validator. A request or answer that breaks the spec fails with an {@link
 * AssertionError} that names the request (method and path, never a token or query value) and
 * each broken rule with its validator key, for example {@code
 * [validation.request.security.missing]}.
 *
 * <p>Requests: path and method exist; query parameters are declared, required ones present, values
 * of the declared type, enum and pattern; the security headers {@code X-Plex-Token} and {@code
 * X-Plex-Client-Identifier} are present and not empty; {@code Accept} is exactly {@code
 * application/json} (a rule of the spec's description that OpenAPI cannot express, key {@code
 * plex.request.accept}). Answers: status declared for the operation, content type declared for
 * that status, JSON body valid against its schema (unknown fields allowed, as the spec says).
 *
 * <p>Loaded once per JVM from the project directory; immutable and thread-safe.
 */
public final class SpecContract {
  /** Where the spec lives, relative to the project directory. */
  public static final String SPEC = "openapi/plex-auth.yaml";

  static final String ACCEPT_RULE = "plex.request.accept";
  static final String CONTENT_TYPE_RULE = "plex.response.contentType.missing";
  private static final String JSON = "application/json";

  private final OpenAPI api;
  private final OpenApiInteractionValidator validator;
  private final List<String> paths;

  private SpecContract(String specText) {
    // The validator's own defaults: references inlined, so that a parameter whose schema is a
    // $ref to an enum is read as a string.
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    options.setResolveCombinators(false);
    SwaggerParseResult parsed = new OpenAPIParser().readContents(specText, null, options);
    if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
      throw new IllegalStateException(SPEC + " does not parse: " + parsed.getMessages());
    }
    this.api = parsed.getOpenAPI();
    this.paths = List.copyOf(api.getPaths().keySet());
    inheritTopLevelSecurity(api);
    this.validator = OpenApiInteractionValidator.createFor(api)
        // Paths are checked relative to the server's base path, which the caller strips.
        .withBasePathOverride("/")
        .withLevelResolver(LevelResolver.create()
            .withDefaultLevel(ValidationReport.Level.ERROR)
            // The facade sends only declared parameters; anything else (a token!) is a breach.
            .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
            // Newer servers add fields; the schemas allow them (no additionalProperties: false).
            .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
            .build())
        .withCustomRequestValidation(SpecContract::acceptIsExactlyJson)
        .withCustomResponseValidation(SpecContract::bodyHasContentType)
        .build();
  }

  /**
   * OpenAPI applies the top-level {@code security} to every operation without its own, but the
   * validator (2.44.1) reads only the operation's: copy it down, or no security header is checked.
   */
  private static void inheritTopLevelSecurity(OpenAPI api) {
    if (api.getSecurity() == null) {
      return;
    }
    for (PathItem item : api.getPaths().values()) {
      for (Operation operation : item.readOperations()) {
        if (operation.getSecurity() == null) {
          operation.setSecurity(List.copyOf(api.getSecurity()));
        }
      }
    }
  }

  /** Returns the contract of {@code openapi/plex-auth.yaml}, loaded on first use. */
  public static SpecContract plexAuth() {
    return Holder.INSTANCE;
  }

  /** The parsed spec, references inlined, for tests that walk its examples. */
  public OpenAPI api() {
    return api;
  }

  /**
   * Returns the spec path that {@code path} is or ends with, so that a request below a base path
   * such as {@code /plex/security/token} maps to {@code /security/token}; empty for any other
   * path, for example a redirect target such as {@code /moved/elsewhere}.
   */
  public Optional<String> specPath(String path) {
    return paths.stream().filter(path::endsWith).findFirst();
  }

  /** Whether the spec declares {@code method} on {@code path} (relative to the base path). */
  public boolean isOperation(String method, String path) {
    PathItem item = api.getPaths().get(path);
    return item != null && item.readOperationsMap().keySet().stream()
        .anyMatch(m -> m.name().equalsIgnoreCase(method));
  }

  /**
   * Checks a request against the spec.
   *
   * @param request the request, its path relative to the base path
   * @throws AssertionError naming the request and every broken rule
   */
  public void validateRequest(ContractRequest request) {
    SimpleRequest.Builder b = new SimpleRequest.Builder(request.method(), request.path());
    request.query().forEach(b::withQueryParam);
    request.headers().forEach(b::withHeader);
    ValidationReport report = validator.validateRequest(b.build());
    if (report.hasErrors()) {
      throw violation(request.toString(), report, securityHint(request), request);
    }
  }

  /**
   * Checks a request exactly as OkHttp sends it to a server that lives under {@code basePath}.
   *
   * @param request the request
   * @param basePath the server's base path, for example {@code /} or {@code /plex/}
   * @throws AssertionError naming the request and every broken rule
   * @throws IllegalArgumentException if the request's path is not below {@code basePath}
   */
  public void validateRequest(okhttp3.Request request, String basePath) {
    validateRequest(ContractRequest.of(request).withoutBasePath(basePath));
  }

  /**
   * Checks an answer against what the spec declares for the operation.
   *
   * @param method the request's method
   * @param path the request's path, relative to the base path
   * @param status the HTTP status
   * @param contentType the {@code Content-Type}, or null when there is none
   * @param headers the other response headers (may be empty)
   * @param body the body as text, or null or empty when there is none
   * @throws AssertionError naming the request, the status and every broken rule
   */
  public void validateResponse(String method, String path, int status, String contentType,
      Map<String, List<String>> headers, String body) {
    SimpleResponse.Builder b = new SimpleResponse.Builder(status);
    headers.forEach((name, values) -> {
      if (!"Content-Type".equalsIgnoreCase(name)) {
        b.withHeader(name, values);
      }
    });
    if (contentType != null) {
      b.withContentType(contentType);
    }
    if (body != null && !body.isEmpty()) {
      b.withBody(body);
    }
    Request.Method m = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
    ValidationReport report = validator.validateResponse(path, m, b.build());
    if (report.hasErrors()) {
      String what = "answer " + status + (contentType == null ? " without Content-Type" : " ("
          + contentType + ")") + " to " + method + " " + path;
      throw violation(what, report, "", null);
    }
  }

  /** The spec's description demands exactly this Accept; OpenAPI ignores Accept parameters. */
  private static ValidationReport acceptIsExactlyJson(Request request, ApiOperation operation) {
    List<String> accept = new ArrayList<>(request.getHeaderValues("Accept"));
    if (accept.size() == 1 && JSON.equals(accept.get(0).trim())) {
      return ValidationReport.empty();
    }
    return ValidationReport.singleton(ValidationReport.Message.create(ACCEPT_RULE,
        "Accept must be exactly 'application/json' (PMS answers XML to anything else); found "
            + (accept.isEmpty() ? "none" : accept)).build());
  }

  /** The validator accepts a body without Content-Type; a client could not tell JSON from XML. */
  private static ValidationReport bodyHasContentType(Response response, ApiOperation operation) {
    boolean hasBody = response.getResponseBody().map(Body::hasBody).orElse(false);
    if (!hasBody || response.getContentType().isPresent()) {
      return ValidationReport.empty();
    }
    return ValidationReport.singleton(ValidationReport.Message.create(CONTENT_TYPE_RULE,
        "a response with a body must declare its Content-Type").build());
  }

  /** The validator only says "security parameters": name the headers that are missing. */
  private String securityHint(ContractRequest request) {
    TreeSet<String> missing = new TreeSet<>();
    List<SecurityRequirement> security = api.getSecurity() == null ? List.of() : api.getSecurity();
    for (SecurityRequirement requirement : security) {
      for (String scheme : requirement.keySet()) {
        String header = api.getComponents().getSecuritySchemes().get(scheme).getName();
        boolean present = request.headers().entrySet().stream()
            .anyMatch(e -> e.getKey().equalsIgnoreCase(header)
                && e.getValue().stream().anyMatch(v -> !v.isEmpty()));
        if (!present) {
          missing.add(header);
        }
      }
    }
    return missing.isEmpty() ? "" : "\n  missing or empty security headers: " + missing;
  }

  private static AssertionError violation(
      String what, ValidationReport report, String hint, ContractRequest request) {
    StringBuilder message = new StringBuilder(what).append(" breaks ").append(SPEC).append(':');
    for (ValidationReport.Message m : report.getMessages()) {
      if (m.getLevel() == ValidationReport.Level.ERROR) {
        message.append("\n  [").append(m.getKey()).append("] ").append(m.getMessage());
      }
    }
    message.append(hint);
    return new AssertionError(redact(message.toString(), request));
  }

  /** Validator messages may quote values; no token may reach a test report (the SDK's one rule). */
  private static String redact(String text, ContractRequest request) {
    String redacted = Redaction.inText(text);
    if (request != null) {
      for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
        if (header.getKey().equalsIgnoreCase("X-Plex-Token")) {
          for (String token : header.getValue()) {
            if (!token.isBlank()) {
              redacted = Redaction.of(token).text(redacted);
            }
          }
        }
      }
    }
    return redacted;
  }

  private static SpecContract load() {
    Path spec = Path.of(System.getProperty("basedir", "."), SPEC);
    try {
      return new SpecContract(Files.readString(spec, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + spec.toAbsolutePath(), e);
    }
  }

  private static final class Holder {
    static final SpecContract INSTANCE = load();
  }
}

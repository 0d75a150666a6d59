package dev.plexauth.tools.cli;

import com.squareup.moshi.JsonWriter;
import dev.plexauth.ConnectionCandidate;
import dev.plexauth.ConnectionChoice;
import dev.plexauth.PlexHttpException;
import dev.plexauth.PlexNoConnectionException;
import dev.plexauth.internal.ControlCharacters;
import dev.plexauth.internal.Redaction;
import dev.plexauth.tools.generated.ModelProperties;
import dev.plexauth.tools.spec.ModelProperty;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import okio.Buffer;

/**
 * Prints the result or failure of each operation: on stdout as text or, with {@code --json}, as one
 * JSON object per line; failures also get one human line on stderr.
 *
 * <p>Results are printed from the model itself: its properties as {@link ModelProperties} lists
 * them, in the spec's order, nested models and lists of them included, so no operation needs code
 * of its own here. The JSON form is the CLI's explicit result and holds every value exactly. The
 * text form shows every {@code x-secret} value as {@link Redaction#MASK} and passes every other
 * text the server chose through the SDK's redaction rule and the caller's token; {@link #finish()}
 * then says on stderr that something was masked. Every text of the human output (results and
 * diagnostics) shows control characters as Java escapes ({@link ControlCharacters}).
 *
 * <p>The caller's own token never appears in a diagnostic: every failure message passes through
 * {@link #redact(String)} (the SDK already keeps tokens out of its messages; this guards against a
 * message quoting the caller's input). Not thread-safe.
 */
public final class OperationPrinter {
  /**
   * The SDK's builder refuses shorter tokens, and its messages never quote one, so a shorter one
   * is never sent and is not masked: masking it would corrupt ordinary words.
   */
  private static final int MIN_TOKEN_LENGTH = 16;

  private static final String INDENT = "  ";
  private static final String NONE = "(none)";

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final Redaction rule;
  private boolean masked;

  /**
   * Creates a printer.
   *
   * @param out where results go (stdout); not null
   * @param err where diagnostics go (stderr); not null
   * @param json true for one JSON object per line, false for text
   * @param secret the caller's token, to keep out of every message and of the text output; null
   *     when there is none
   */
  public OperationPrinter(PrintWriter out, PrintWriter err, boolean json, String secret) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.rule = rule(secret);
  }

  /**
   * Prints what an operation returned: with {@code --json} one object, {@code "operation"} first
   * and then each property by its Java name; as text the operation's id on a line, then one
   * indented {@code name: value} line per property (lists as indented {@code - } items).
   *
   * @param operation the operationId
   * @param result what the client method returned; a model of the spec, not null
   */
  public void result(String operation, Object result) {
    if (json) {
      printJson(w -> {
        w.name("operation").value(operation);
        if (isModel(result)) {
          writeMembers(w, result);
        } else {
          w.name("value");
          writeValue(w, result);
        }
      });
      return;
    }
    out.println(operation);
    if (isModel(result)) {
      printModel(result, INDENT, INDENT);
    } else {
      printValue(INDENT, "value:", false, result, INDENT);
    }
    out.flush();
  }

  /**
   * Reports a failed operation: a line on stderr, plus the error object on stdout with {@code
   * --json}. {@code status} is present only for HTTP errors ({@link PlexHttpException}).
   *
   * @param operation the operationId
   * @param failure what the call threw; not null
   */
  public void failure(String operation, RuntimeException failure) {
    String type = failure.getClass().getSimpleName();
    String message = shown(failure.getMessage() == null ? type : failure.getMessage());
    Integer status =
        failure instanceof PlexHttpException ? ((PlexHttpException) failure).code() : null;
    err.println("plex-auth: " + operation + " failed: " + type
        + (status == null ? "" : " (HTTP " + status + ")") + ": " + message);
    err.flush();
    if (json) {
      printJson(w -> {
        w.name("operation").value(operation);
        w.name("error").value(type);
        if (status != null) {
          w.name("status").value(status);
        }
        w.name("message").value(message);
      });
    }
  }

  /**
   * Prints the outcome of {@code connect}: with {@code --json} one object, {@code {"operation":
   * "connect", "uri": ..., "millis": ..., "candidates": [{"rank", "uri", "local", "relay",
   * "outcome", "millis", "detail"}, ...]}}; as text the chosen URI, then one line per candidate.
   *
   * @param choice the choice; not null
   */
  public void connection(ConnectionChoice choice) {
    if (json) {
      printJson(w -> {
        w.name("operation").value(PlexAuthCli.CONNECT);
        w.name("uri").value(choice.uri());
        w.name("millis").value(choice.millis());
        writeCandidates(w, choice.candidates());
      });
      return;
    }
    out.println(PlexAuthCli.CONNECT + " " + shown("server://" + choice.source().clientIdentifier())
        + ": " + shown(choice.uri()) + " (rank " + choice.chosen().rank() + ", chosen in "
        + choice.millis() + " ms)");
    printCandidates(choice.candidates());
    out.flush();
  }

  /**
   * Reports that no connection of the source works: a line on stderr, each candidate on stdout,
   * and with {@code --json} the error object with every candidate.
   *
   * @param failure what the chooser threw; not null
   */
  public void noConnection(PlexNoConnectionException failure) {
    String type = failure.getClass().getSimpleName();
    err.println("plex-auth: " + PlexAuthCli.CONNECT + " failed: " + type + ": "
        + shown(failure.getMessage()));
    err.flush();
    if (json) {
      printJson(w -> {
        w.name("operation").value(PlexAuthCli.CONNECT);
        w.name("uri").nullValue();
        w.name("error").value(type);
        w.name("message").value(shown(failure.getMessage()));
        writeCandidates(w, failure.candidates());
      });
      return;
    }
    out.println(PlexAuthCli.CONNECT + ": no connection works");
    printCandidates(failure.candidates());
    out.flush();
  }

  private void printCandidates(List<ConnectionCandidate> candidates) {
    for (ConnectionCandidate candidate : candidates) {
      String kind = candidate.relay() ? "relay" : candidate.local() ? "local" : "remote";
      String detail = candidate.detail();
      out.println(String.format(Locale.ROOT, "%s%2d. %-6s %-16s %5d ms  %s%s", INDENT,
          candidate.rank(), kind, candidate.outcome().label(), candidate.millis(),
          candidate.uri() == null ? NONE : shown(candidate.uri()),
          detail == null ? "" : "  (" + shown(detail) + ")"));
    }
  }

  private void writeCandidates(JsonWriter w, List<ConnectionCandidate> candidates)
      throws IOException {
    w.name("candidates").beginArray();
    for (ConnectionCandidate candidate : candidates) {
      w.beginObject();
      w.name("rank").value(candidate.rank());
      w.name("uri").value(candidate.uri());
      w.name("local").value(candidate.local());
      w.name("relay").value(candidate.relay());
      w.name("outcome").value(candidate.outcome().label());
      w.name("millis").value(candidate.millis());
      w.name("detail").value(candidate.detail() == null ? null : shown(candidate.detail()));
      w.endObject();
    }
    w.endArray();
  }

  /**
   * Ends the output: when the text output masked anything, says so on stderr, once.
   */
  public void finish() {
    if (masked) {
      diagnostic("secrets are shown as " + Redaction.MASK + " in this output; --json prints them");
      masked = false;
    }
  }

  /**
   * Prints a diagnostic line on stderr, prefixed with {@code plex-auth: }, with the caller's token
   * redacted.
   *
   * @param message the text; not null
   */
  public void diagnostic(String message) {
    err.println("plex-auth: " + shown(message));
    err.flush();
  }

  /**
   * Text as the human output shows it: redacted, then with every control character as its Java
   * escape ({@link ControlCharacters}), so a server's text cannot move the cursor, clear the
   * screen or forge a line.
   */
  private String shown(String text) {
    return ControlCharacters.escape(redact(text));
  }

  /**
   * Applies the SDK's one redaction rule ({@link Redaction}) with the caller's token.
   *
   * @param text any text, or null
   * @return the text with every secret masked as {@link Redaction#MASK}; null for null
   */
  public String redact(String text) {
    return rule.text(text);
  }

  /**
   * Applies the SDK's one redaction rule ({@link Redaction}) with a token that may not have been
   * checked yet.
   *
   * @param text any text, or null
   * @param secret a token, or null
   * @return the text with every secret masked as {@link Redaction#MASK}; null for null
   */
  static String redact(String text, String secret) {
    return rule(secret).text(text);
  }

  /** The SDK's rule, with the token when it is one the builder would accept. */
  private static Redaction rule(String secret) {
    return Redaction.of(secret != null && secret.length() >= MIN_TOKEN_LENGTH ? secret : null);
  }

  /** Prints a model's properties; the first line starts with {@code first}, the others with {@code indent}. */
  private void printModel(Object model, String first, String indent) {
    List<ModelProperty> properties = ModelProperties.of(model.getClass());
    if (properties.isEmpty()) {
      out.println(first + NONE);
      return;
    }
    String lead = first;
    for (ModelProperty property : properties) {
      printValue(lead, property.javaName() + ":", property.secret(), property.of(model), indent);
      lead = indent;
    }
  }

  /** Prints {@code label value} on one line, or the label and then the nested lines. */
  private void printValue(String lead, String label, boolean secretValue, Object value,
      String indent) {
    if (secretValue && value != null) {
      masked = true;
      out.println(lead + label + " " + Redaction.MASK);
    } else if (value instanceof List && !((List<?>) value).isEmpty()) {
      out.println(lead + label);
      String itemIndent = indent + INDENT;
      for (Object item : (List<?>) value) {
        if (isModel(item)) {
          printModel(item, itemIndent + "- ", itemIndent + INDENT);
        } else {
          printValue(itemIndent, "-", false, item, itemIndent + INDENT);
        }
      }
    } else if (isModel(value)) {
      out.println(lead + label);
      printModel(value, indent + INDENT, indent + INDENT);
    } else {
      out.println(lead + label + " " + scalar(value));
    }
  }

  private String scalar(Object value) {
    if (value == null || value instanceof List) {
      return NONE;
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof Enum) {
      // An enum's toString() is its wire value.
      return value.toString();
    }
    String text = value.toString();
    String redacted = redact(text);
    if (!redacted.equals(text)) {
      masked = true;
    }
    return ControlCharacters.escape(redacted);
  }

  private static void writeMembers(JsonWriter writer, Object model) throws IOException {
    for (ModelProperty property : ModelProperties.of(model.getClass())) {
      writer.name(property.javaName());
      writeValue(writer, property.of(model));
    }
  }

  private static void writeValue(JsonWriter writer, Object value) throws IOException {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof Boolean) {
      writer.value((Boolean) value);
    } else if (value instanceof Number) {
      writer.value((Number) value);
    } else if (value instanceof List) {
      writer.beginArray();
      for (Object item : (List<?>) value) {
        writeValue(writer, item);
      }
      writer.endArray();
    } else if (isModel(value)) {
      writer.beginObject();
      writeMembers(writer, value);
      writer.endObject();
    } else {
      // Strings, and enums as their wire value.
      writer.value(value.toString());
    }
  }

  private static boolean isModel(Object value) {
    return value != null && ModelProperties.of(value.getClass()) != null;
  }

  private void printJson(JsonBody body) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setSerializeNulls(true);
      writer.beginObject();
      body.write(writer);
      writer.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    out.println(buffer.readUtf8());
    out.flush();
  }

  /** Writes the members of one JSON object. */
  @FunctionalInterface
  private interface JsonBody {
    void write(JsonWriter writer) throws IOException;
  }
}

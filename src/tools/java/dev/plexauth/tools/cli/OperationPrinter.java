package dev.plexauth.tools.cli;

import com.squareup.moshi.JsonWriter;
import dev.plexauth.PlexHttpException;
import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import okio.Buffer;

/**
 * Prints the result or failure of each operation: on stdout as text or, with {@code --json}, as one
 * JSON object per line; failures also get one human line on stderr.
 *
 * <p>The transient tokens are the output of the job and are printed; the caller's own token never
 * is: every failure message passes through {@link #redact(String)} (the SDK already keeps tokens
 * out of its messages; this guards against a message quoting the caller's input). Not thread-safe.
 */
public final class OperationPrinter {
  /** The operation name of {@code GET /security/token}, as in the spec and the JSON output. */
  public static final String TRANSIENT_TOKEN = "getTransientToken";

  /** The operation name of {@code GET /security/resources}, as in the spec and the JSON output. */
  public static final String SOURCE = "getSourceConnectionInformation";

  /** Shorter secrets are not redacted: replacing every "a" in a message would hide more than it saves. */
  private static final int MIN_REDACTED_LENGTH = 4;

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final String secret;

  /**
   * Creates a printer.
   *
   * @param out where results go (stdout); not null
   * @param err where diagnostics go (stderr); not null
   * @param json true for one JSON object per line, false for text
   * @param secret the caller's token, to keep out of every message; null when there is none
   */
  public OperationPrinter(PrintWriter out, PrintWriter err, boolean json, String secret) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.secret = secret;
  }

  /**
   * Prints a transient token.
   *
   * @param result what {@code getTransientToken()} returned; not null
   */
  public void transientToken(TransientToken result) {
    if (!json) {
      out.println("transientToken: " + result.token());
      out.flush();
      return;
    }
    printJson(w -> {
      w.name("operation").value(TRANSIENT_TOKEN);
      w.name("token").value(result.token());
    });
  }

  /**
   * Prints a source's connection information, one line per connection in text mode.
   *
   * @param result what {@code getSourceConnectionInformation(...)} returned; not null
   */
  public void source(SourceConnectionInformation result) {
    if (!json) {
      out.println("source: " + text(result.name()));
      out.println("  clientIdentifier: " + text(result.clientIdentifier()));
      out.println("  accessToken: " + text(result.accessToken()));
      for (Connection c : result.connections()) {
        out.println("  connection: " + text(c.protocol()) + " " + hostPort(c) + " " + text(c.uri())
            + " (" + (c.local() ? "local" : "remote") + (c.relay() ? ", relay" : "") + ")");
      }
      out.flush();
      return;
    }
    printJson(w -> {
      w.name("operation").value(SOURCE);
      w.name("name").value(result.name());
      w.name("clientIdentifier").value(result.clientIdentifier());
      w.name("accessToken").value(result.accessToken());
      w.name("connections").beginArray();
      for (Connection c : result.connections()) {
        w.beginObject();
        w.name("protocol").value(c.protocol());
        w.name("address").value(c.address());
        w.name("port").value(c.port());
        w.name("uri").value(c.uri());
        w.name("local").value(c.local());
        w.name("relay").value(c.relay());
        w.endObject();
      }
      w.endArray();
    });
  }

  /**
   * Reports a failed operation: a line on stderr, plus the error object on stdout with {@code
   * --json}. {@code status} is present only for HTTP errors ({@link PlexHttpException}).
   *
   * @param operation {@link #TRANSIENT_TOKEN} or {@link #SOURCE}
   * @param failure what the call threw; not null
   */
  public void failure(String operation, RuntimeException failure) {
    String type = failure.getClass().getSimpleName();
    String message = redact(failure.getMessage() == null ? type : failure.getMessage());
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
   * Prints a diagnostic line on stderr, prefixed with {@code plex-auth: }, with the caller's token
   * redacted.
   *
   * @param message the text; not null
   */
  public void diagnostic(String message) {
    err.println("plex-auth: " + redact(message));
    err.flush();
  }

  /**
   * Replaces every occurrence of the caller's token with {@code <redacted>}.
   *
   * @param text any text, or null
   * @return the text without the token; null for null
   */
  public String redact(String text) {
    return redact(text, secret);
  }

  static String redact(String text, String secret) {
    if (text == null || secret == null || secret.length() < MIN_REDACTED_LENGTH) {
      return text;
    }
    return text.replace(secret, "<redacted>");
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

  private static String hostPort(Connection c) {
    String address = text(c.address());
    String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    return c.port() == null ? host : host + ":" + c.port();
  }

  private static String text(String value) {
    return value == null ? "(none)" : value;
  }

  /** Writes the members of one JSON object. */
  @FunctionalInterface
  private interface JsonBody {
    void write(JsonWriter writer) throws IOException;
  }
}

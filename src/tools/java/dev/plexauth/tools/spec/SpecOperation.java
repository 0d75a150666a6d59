package dev.plexauth.tools.spec;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexCallback;
import dev.plexauth.PlexCancellable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One operation of the spec, as {@code dev.plexauth.tools.generated.SpecOperations} lists them: its
 * id, method, path and parameters, the model of its 200 answer and the one its client method
 * returns, and a way to call that method with parameter values given as text.
 *
 * @param operationId the spec's operationId, which is also the client method's name
 * @param method the HTTP method, for example {@code GET}
 * @param path the path, with a leading slash, for example {@code /security/token}
 * @param withoutToken true when the operation's security names no token ({@code security: []}):
 *     the client sends it without {@code X-Plex-Token}
 * @param parameters the parameters: required ones first, each group in spec order
 * @param answerType the model of the 200 answer's JSON body
 * @param resultType the model the client method returns (the answer unwrapped)
 * @param unwrap turns a decoded answer into what the client method returns
 * @param call calls the client method that takes every parameter (absent ones as null)
 * @param callAsync the same, through the {@code Async} method that returns a future
 * @param callWithCallback the same, through the {@code Async} method that takes a callback
 */
public record SpecOperation(
    String operationId,
    String method,
    String path,
    boolean withoutToken,
    List<SpecParameter> parameters,
    Class<?> answerType,
    Class<?> resultType,
    Function<Object, Object> unwrap,
    Invoker call,
    AsyncInvoker callAsync,
    CallbackInvoker callWithCallback) {

  /** Calls an operation's client method. */
  @FunctionalInterface
  public interface Invoker {
    /**
     * Calls the method.
     *
     * @param client the client
     * @param args the parameter values as text
     * @return what the method returned
     */
    Object call(PlexAuthClient client, Arguments args);
  }

  /** Calls an operation's {@code Async} client method. */
  @FunctionalInterface
  public interface AsyncInvoker {
    /**
     * Calls the method.
     *
     * @param client the client
     * @param args the parameter values as text
     * @return the future the method returned
     */
    CompletableFuture<?> call(PlexAuthClient client, Arguments args);
  }

  /** Calls an operation's {@code Async} client method that takes a callback. */
  @FunctionalInterface
  public interface CallbackInvoker {
    /**
     * Calls the method.
     *
     * @param client the client
     * @param args the parameter values as text
     * @param callback receives the outcome
     * @return the handle the method returned
     */
    PlexCancellable call(PlexAuthClient client, Arguments args, PlexCallback<Object> callback);
  }

  /**
   * The parameter of this name.
   *
   * @param name the wire name
   * @return the parameter, or null
   */
  public SpecParameter parameter(String name) {
    for (SpecParameter parameter : parameters) {
      if (parameter.name().equals(name)) {
        return parameter;
      }
    }
    return null;
  }

  /**
   * Arguments that every required parameter's example or single value fills, for tests and the
   * stand-in's defaults; optional parameters stay absent.
   *
   * @return the arguments, never null
   */
  public Arguments exampleArguments() {
    Arguments args = new Arguments();
    for (SpecParameter parameter : parameters) {
      String value = parameter.singleValue() != null ? parameter.singleValue()
          : parameter.example();
      if (parameter.required() && value != null) {
        args.put(parameter.name(), value);
      }
    }
    return args;
  }
}

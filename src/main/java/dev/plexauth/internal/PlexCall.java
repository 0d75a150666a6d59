package dev.plexauth.internal;

import dev.plexauth.PlexCallback;
import dev.plexauth.PlexCancellable;
import java.util.concurrent.CompletableFuture;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;

/**
 * One call of an operation, as the generated Retrofit interfaces return it: the SDK's {@code
 * CallAdapter.Factory} makes it from Retrofit's call, and running it applies the client's retries
 * and maps the outcome to the answer or to an exception of the {@code PlexException} tree. Not part
 * of the API: it runs only on a Retrofit built by {@code PlexAuthClient}. Each instance runs once.
 *
 * @param <R> the model of the 200 answer's JSON body
 */
public interface PlexCall<R> {
  /**
   * Sends the call on this thread, retrying as configured, and returns the unwrapped answer.
   *
   * @param unwrap takes what the client method returns out of the decoded answer
   * @param <T> what the client method returns
   * @return the unwrapped answer, never null
   */
  <T> T execute(Unwrap<? super R, ? extends T> unwrap);

  /**
   * Sends the call on OkHttp's dispatcher, retrying as configured, without blocking, and hands
   * the outcome to the callback once.
   *
   * @param unwrap takes what the client method returns out of the decoded answer
   * @param callback receives the unwrapped answer or the failure; not null
   * @param <T> what the client method returns
   * @return the handle that cancels the call and its retries
   */
  <T> PlexCancellable enqueue(Unwrap<? super R, ? extends T> unwrap,
      PlexCallback<? super T> callback);

  /**
   * As {@link #enqueue}, with a future in place of the callback. Needs Android API 24 ({@code
   * CompletableFuture}, which core library desugaring does not add).
   *
   * @param unwrap takes what the client method returns out of the decoded answer
   * @param <T> what the client method returns
   * @return a future of the unwrapped answer; cancelling it cancels the call and its retries
   */
  @IgnoreJRERequirement
  <T> CompletableFuture<T> executeAsync(Unwrap<? super R, ? extends T> unwrap);

  /**
   * Takes what a client method returns out of a decoded answer (its Media Container, or what
   * {@code x-unwrap} names), along properties the spec requires, so never null.
   *
   * @param <R> the answer's model
   * @param <T> what the client method returns
   */
  interface Unwrap<R, T> {
    /**
     * Unwraps an answer.
     *
     * @param answer the decoded answer, not null
     * @return the part the client method returns
     */
    T apply(R answer);
  }
}

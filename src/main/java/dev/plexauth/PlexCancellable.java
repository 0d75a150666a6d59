package dev.plexauth;

/**
 * An asynchronous call started with a {@link PlexCallback}, which can be cancelled. Thread-safe.
 */
public interface PlexCancellable {
  /**
   * Cancels the call: the request under way is cancelled, and no retry is sent. A call that had
   * not completed ends in its callback's {@link PlexCallback#onFailure} with a {@link
   * PlexIoException}; one that had completed is left as it was. Idempotent.
   */
  void cancel();

  /**
   * Whether {@link #cancel()} was called.
   *
   * @return true once cancel was called, whatever the outcome
   */
  boolean isCanceled();
}

package dev.plexauth;

import dev.plexauth.internal.PlexCall;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Request;
import okhttp3.ResponseBody;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Converter;
import retrofit2.Response;
import org.jspecify.annotations.Nullable;

/**
 * One call of any operation, run on Retrofit's call: tried again per the {@link RetryPolicy}
 * (each attempt a {@link Call#clone()}), every attempt within what is left of the one call
 * timeout, and its final outcome mapped by {@link Outcomes}. Runs once.
 *
 * @param <R> the model of the 200 answer's JSON body
 */
final class RetryingCall<R> implements PlexCall<R> {
  private final PlexTransport transport;
  private final Call<ResponseBody> first;
  private final Converter<ResponseBody, R> converter;

  RetryingCall(PlexTransport transport, Call<ResponseBody> first,
      Converter<ResponseBody, R> converter) {
    this.transport = transport;
    this.first = first;
    this.converter = converter;
  }

  @Override
  public <T> T execute(Unwrap<? super R, ? extends T> unwrap) {
    long deadline = transport.deadline();
    Call<ResponseBody> call = first;
    for (int retry = 1; ; retry++) {
      Response<ResponseBody> answer;
      try {
        answer = timed(call, deadline).execute();
      } catch (IOException e) {
        // A closed client finishes the attempt under way but starts no other; a call cancelled by
        // the caller's OkHttpClient (dispatcher().cancelAll()) is the caller's decision.
        long delay = transport.closed() || call.isCanceled() ? RetryPolicy.FINAL
            : PlexTransport.fitting(transport.retryPolicy().delayAfter(e, retry), deadline);
        if (delay == RetryPolicy.FINAL) {
          throw transport.outcomes().ioFailure(call.request(), e);
        }
        transport.pause(call.request(), delay);
        if (transport.closed()) {
          throw transport.outcomes().ioFailure(call.request(), e);
        }
        call = call.clone();
        continue;
      }
      long delay = transport.closed() ? RetryPolicy.FINAL
          : PlexTransport.fitting(transport.retryPolicy().delayAfter(answer.raw(), retry), deadline);
      if (delay == RetryPolicy.FINAL) {
        try {
          return unwrap.apply(transport.outcomes().decode(answer, converter));
        } finally {
          transport.afterCall();
        }
      }
      PlexException last = failureOf(answer);
      transport.pause(call.request(), delay);
      if (transport.closed()) {
        throw last; // closed during the wait: the answer that would have been retried
      }
      call = call.clone();
    }
  }

  /** The exception a retryable answer (429, 502, 503, 504) maps to, its body read and released. */
  private PlexException failureOf(Response<ResponseBody> answer) {
    try {
      transport.outcomes().decode(answer, converter);
    } catch (PlexException e) {
      return e;
    }
    throw new IllegalStateException("HTTP " + answer.code() + " decoded as a success");
  }

  @Override
  public <T> PlexCancellable enqueue(Unwrap<? super R, ? extends T> unwrap,
      PlexCallback<? super T> callback) {
    AsyncRun<T> run =
        new AsyncRun<>(unwrap, Objects.requireNonNull(callback, "callback must not be null"),
            transport.deadline());
    run.start(first);
    return run;
  }

  @IgnoreJRERequirement
  @Override
  public <T> CompletableFuture<T> executeAsync(Unwrap<? super R, ? extends T> unwrap) {
    CallbackFuture<T> future = new CallbackFuture<>();
    future.started = enqueue(unwrap, future);
    return future;
  }

  /**
   * An asynchronous run: each attempt on OkHttp's dispatcher, the waits between them on the retry
   * timer, and the outcome delivered to the callback once, on a dispatcher thread. Cancelling
   * cancels the attempt in flight and ends the run at once, wherever it is (queued, in flight or
   * waiting to retry); closing the client ends it at once when it is waiting to retry, and an
   * owned client's OkHttp refuses it at once when it is queued.
   */
  private final class AsyncRun<T>
      implements PlexCancellable, Callback<ResponseBody>, PlexTransport.Active {
    private final Unwrap<? super R, ? extends T> unwrap;
    private final PlexCallback<? super T> callback;
    private final long deadline;
    private final AtomicBoolean delivered = new AtomicBoolean();
    private volatile boolean canceled;
    /** The attempt in flight, or null between attempts; guarded by this. */
    private @Nullable Call<ResponseBody> inFlight;
    /** The request of the latest attempt, which a failure names; guarded by this. */
    private @Nullable Request request;
    /** What ended the latest attempt, while waiting to retry; guarded by this. */
    private @Nullable PlexException last;
    /** The number of the next retry (1 for the first); touched by one attempt at a time. */
    private int retry = 1;

    AsyncRun(Unwrap<? super R, ? extends T> unwrap, PlexCallback<? super T> callback,
        long deadline) {
      this.unwrap = unwrap;
      this.callback = callback;
      this.deadline = deadline;
    }

    void start(Call<ResponseBody> call) {
      transport.track(this);
      attempt(call);
    }

    private void attempt(Call<ResponseBody> call) {
      PlexException closedWhileWaiting;
      synchronized (this) {
        if (canceled || delivered.get()) {
          return; // cancel() or close() has ended the run
        }
        closedWhileWaiting = last != null && transport.closed() ? last : null;
        if (closedWhileWaiting == null) {
          inFlight = call;
          request = call.request();
          last = null;
        }
      }
      if (closedWhileWaiting != null) {
        // close() has handed this run its end already; this is the fallback, never a second one.
        failOnDispatcher(closedWhileWaiting);
        return;
      }
      timed(call, deadline).enqueue(this);
    }

    @Override
    public void cancel() {
      Call<ResponseBody> call;
      Request named;
      synchronized (this) {
        if (canceled) {
          return;
        }
        canceled = true;
        call = inFlight;
        named = request;
      }
      if (call != null) {
        call.cancel();
      }
      // At once, even for a call still in OkHttp's queue (which OkHttp would report only when
      // the call's turn came).
      failOnDispatcher(transport.outcomes().ioFailure(
          Objects.requireNonNull(named), new IOException("Canceled")));
    }

    @Override
    public boolean isCanceled() {
      return canceled;
    }

    @Override
    public void clientClosed() {
      PlexException waiting;
      synchronized (this) {
        waiting = inFlight == null ? last : null;
      }
      if (waiting != null) {
        failOnDispatcher(waiting);
      }
    }

    @Override
    public void onFailure(Call<ResponseBody> failed, Throwable t) {
      if (!(t instanceof IOException)) {
        // Retrofit could not build the request (the argument checks before it make this
        // unreachable for the spec's parameters): no response, nothing to retry.
        fail(transport.outcomes().ioFailure(failed.request(),
            new IOException("the request could not be sent", t)));
        return;
      }
      IOException e = (IOException) t;
      PlexIoException failure = transport.outcomes().ioFailure(failed.request(), e);
      // A call cancelled by the caller's OkHttpClient (dispatcher().cancelAll()) is not retried.
      long delay = transport.closed() || failed.isCanceled() ? RetryPolicy.FINAL
          : PlexTransport.fitting(transport.retryPolicy().delayAfter(e, retry), deadline);
      if (delay == RetryPolicy.FINAL || !waitBeforeRetry(failure)) {
        fail(failure);
        return;
      }
      retryLater(failed, delay);
    }

    @Override
    public void onResponse(Call<ResponseBody> succeeded, Response<ResponseBody> answer) {
      long delay = transport.closed() ? RetryPolicy.FINAL
          : PlexTransport.fitting(transport.retryPolicy().delayAfter(answer.raw(), retry), deadline);
      if (delay != RetryPolicy.FINAL) {
        PlexException failure = failureOf(answer);
        if (waitBeforeRetry(failure)) {
          retryLater(succeeded, delay);
        } else {
          fail(failure);
        }
        return;
      }
      T value;
      try {
        value = unwrap.apply(transport.outcomes().decode(answer, converter));
      } catch (PlexException e) {
        fail(e);
        return;
      }
      if (delivered.compareAndSet(false, true)) {
        // Release first, so that whoever waits on the outcome sees the connection closed.
        transport.untrack(this);
        transport.afterCall();
        callback.onSuccess(value);
      }
    }

    /**
     * Moves the run to "between attempts", unless it was cancelled or the client was closed.
     *
     * @return false when the run must end now (the caller then ends it with the failure)
     */
    private boolean waitBeforeRetry(PlexException failure) {
      synchronized (this) {
        if (canceled) {
          return false;
        }
        inFlight = null;
        last = failure;
      }
      // close() ends the runs that are waiting; one that starts waiting after close() began sees
      // the client closed here.
      return !transport.closed();
    }

    private void retryLater(Call<ResponseBody> previous, long delayNanos) {
      retry++;
      transport.later(delayNanos, new Runnable() {
        @Override
        public void run() {
          attempt(previous.clone());
        }
      });
    }

    /** Ends the run on a dispatcher thread, like every outcome OkHttp reports. */
    private void failOnDispatcher(PlexException failure) {
      transport.dispatch(new Runnable() {
        @Override
        public void run() {
          fail(failure);
        }
      });
    }

    private void fail(PlexException failure) {
      if (delivered.compareAndSet(false, true)) {
        transport.untrack(this);
        transport.afterCall();
        callback.onFailure(failure);
      }
    }
  }

  /**
   * The call with what is left of the call timeout as its own, so that retries never stretch a
   * call beyond it.
   */
  private static Call<ResponseBody> timed(Call<ResponseBody> call, long deadline) {
    if (deadline != Long.MAX_VALUE) {
      call.timeout().timeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    return call;
  }

  private static void close(Response<ResponseBody> answer) {
    ResponseBody body = answer.isSuccessful() ? answer.body() : answer.errorBody();
    if (body != null) {
      body.close();
    }
  }
}

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
        long delay = transport.closed() ? RetryPolicy.FINAL
            : PlexTransport.fitting(transport.retryPolicy().delayAfter(e, retry), deadline);
        if (delay == RetryPolicy.FINAL) {
          throw transport.outcomes().ioFailure(call.request(), e);
        }
        transport.pause(call.request(), delay);
        call = call.clone();
        continue;
      }
      // A closed client finishes the attempt under way but starts no other.
      long delay = transport.closed() ? RetryPolicy.FINAL
          : PlexTransport.fitting(transport.retryPolicy().delayAfter(answer.raw(), retry), deadline);
      if (delay == RetryPolicy.FINAL) {
        try {
          return unwrap.apply(transport.outcomes().decode(answer, converter));
        } finally {
          transport.afterCall();
        }
      }
      close(answer);
      transport.pause(call.request(), delay);
      call = call.clone();
    }
  }

  @Override
  public <T> PlexCancellable enqueue(Unwrap<? super R, ? extends T> unwrap,
      PlexCallback<? super T> callback) {
    AsyncRun<T> run =
        new AsyncRun<>(unwrap, Objects.requireNonNull(callback, "callback must not be null"),
            transport.deadline());
    run.attempt(first);
    return run;
  }

  @IgnoreJRERequirement
  @Override
  public <T> CompletableFuture<T> executeAsync(Unwrap<? super R, ? extends T> unwrap) {
    CallFuture<T> future = new CallFuture<>();
    future.call = enqueue(unwrap, future);
    return future;
  }

  /**
   * The future of {@link #executeAsync}: completed by the callback form, and cancelling it cancels
   * the call. Needs Android API 24 ({@code CompletableFuture}) or core library desugaring.
   */
  @IgnoreJRERequirement
  private static final class CallFuture<T> extends CompletableFuture<T>
      implements PlexCallback<T> {
    volatile @Nullable PlexCancellable call;

    @Override
    public void onSuccess(T result) {
      complete(result);
    }

    @Override
    public void onFailure(PlexException failure) {
      completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      PlexCancellable running = call;
      if (cancelled && running != null) {
        running.cancel();
      }
      return cancelled;
    }
  }

  /**
   * An asynchronous run: each attempt on OkHttp's dispatcher, the waits between them on the retry
   * timer, and the outcome delivered to the callback once. Cancelling cancels the attempt in flight
   * (OkHttp then reports it as failed) or, between attempts, ends the run at once.
   */
  private final class AsyncRun<T> implements PlexCancellable, Callback<ResponseBody> {
    private final Unwrap<? super R, ? extends T> unwrap;
    private final PlexCallback<? super T> callback;
    private final long deadline;
    private final AtomicBoolean delivered = new AtomicBoolean();
    private volatile boolean canceled;
    /** The attempt in flight, or null between attempts; guarded by this. */
    private @Nullable Call<ResponseBody> inFlight;
    /** The request of the latest attempt, which a failure names; guarded by this. */
    private @Nullable Request request;
    /** The number of the next retry (1 for the first); touched by one attempt at a time. */
    private int retry = 1;

    AsyncRun(Unwrap<? super R, ? extends T> unwrap, PlexCallback<? super T> callback,
        long deadline) {
      this.unwrap = unwrap;
      this.callback = callback;
      this.deadline = deadline;
    }

    void attempt(Call<ResponseBody> call) {
      synchronized (this) {
        if (canceled) {
          return; // cancel() has ended the run
        }
        inFlight = call;
        request = call.request();
      }
      timed(call, deadline).enqueue(this);
    }

    @Override
    public void cancel() {
      Call<ResponseBody> call;
      Request last;
      synchronized (this) {
        if (canceled) {
          return;
        }
        canceled = true;
        call = inFlight;
        last = request;
      }
      if (call != null) {
        // OkHttp reports the cancelled attempt to onFailure, which ends the run; an attempt that
        // has already answered ends it in onResponse.
        call.cancel();
        return;
      }
      // Between attempts: end the run now, on a dispatcher thread like every other outcome.
      transport.dispatch(new Runnable() {
        @Override
        public void run() {
          fail(transport.outcomes().ioFailure(last, new IOException("Canceled")));
        }
      });
    }

    @Override
    public boolean isCanceled() {
      return canceled;
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
      long delay = PlexTransport.fitting(transport.retryPolicy().delayAfter(e, retry), deadline);
      if (delay == RetryPolicy.FINAL || !waitBeforeRetry()) {
        fail(transport.outcomes().ioFailure(failed.request(), e));
        return;
      }
      retryLater(failed, delay);
    }

    @Override
    public void onResponse(Call<ResponseBody> succeeded, Response<ResponseBody> answer) {
      long delay = PlexTransport.fitting(
          transport.retryPolicy().delayAfter(answer.raw(), retry), deadline);
      if (delay != RetryPolicy.FINAL) {
        close(answer);
        if (waitBeforeRetry()) {
          retryLater(succeeded, delay);
        } else {
          fail(transport.outcomes().ioFailure(succeeded.request(), new IOException("Canceled")));
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
      // Release first, so that whoever waits on the outcome sees the connection closed.
      if (delivered.compareAndSet(false, true)) {
        transport.afterCall();
        callback.onSuccess(value);
      }
    }

    /**
     * Moves the run to "between attempts", unless it was cancelled.
     *
     * @return false when it was cancelled (the caller then ends it)
     */
    private boolean waitBeforeRetry() {
      synchronized (this) {
        if (canceled) {
          return false;
        }
        inFlight = null;
        return true;
      }
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

    private void fail(PlexException failure) {
      if (delivered.compareAndSet(false, true)) {
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

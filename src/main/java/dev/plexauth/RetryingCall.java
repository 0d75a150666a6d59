package dev.plexauth;

import dev.plexauth.internal.PlexCall;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Converter;
import retrofit2.Response;

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
        Duration delay = transport.closed() ? null
            : PlexTransport.fitting(transport.retryPolicy().delayAfter(e, retry), deadline);
        if (delay == null) {
          throw transport.outcomes().ioFailure(call.request(), e);
        }
        transport.pause(call.request(), delay);
        call = call.clone();
        continue;
      }
      // A closed client finishes the attempt under way but starts no other.
      Duration delay = transport.closed() ? null
          : PlexTransport.fitting(transport.retryPolicy().delayAfter(answer.raw(), retry), deadline);
      if (delay == null) {
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
  public <T> CompletableFuture<T> executeAsync(Unwrap<? super R, ? extends T> unwrap) {
    CompletableFuture<T> future = new CompletableFuture<>();
    AtomicReference<Call<ResponseBody>> current = new AtomicReference<>();
    future.whenComplete(
        (value, failure) -> {
          Call<ResponseBody> call = current.get();
          if (future.isCancelled() && call != null) {
            call.cancel();
          }
        });
    attempt(first, unwrap, future, current, transport.deadline(), 1);
    return future;
  }

  private <T> void attempt(Call<ResponseBody> call, Unwrap<? super R, ? extends T> unwrap,
      CompletableFuture<T> future, AtomicReference<Call<ResponseBody>> current, long deadline,
      int retry) {
    current.set(call);
    if (future.isCancelled()) {
      return;
    }
    timed(call, deadline).enqueue(
        new Callback<ResponseBody>() {
          @Override
          public void onFailure(Call<ResponseBody> failed, Throwable t) {
            if (!(t instanceof IOException)) {
              transport.afterCall();
              future.completeExceptionally(t);
              return;
            }
            IOException e = (IOException) t;
            Duration delay =
                PlexTransport.fitting(transport.retryPolicy().delayAfter(e, retry), deadline);
            if (delay == null || future.isDone()) {
              transport.afterCall();
              future.completeExceptionally(transport.outcomes().ioFailure(failed.request(), e));
            } else {
              transport.later(delay,
                  () -> attempt(failed.clone(), unwrap, future, current, deadline, retry + 1));
            }
          }

          @Override
          public void onResponse(Call<ResponseBody> succeeded, Response<ResponseBody> answer) {
            Duration delay = PlexTransport.fitting(
                transport.retryPolicy().delayAfter(answer.raw(), retry), deadline);
            if (delay != null && !future.isDone()) {
              close(answer);
              transport.later(delay,
                  () -> attempt(succeeded.clone(), unwrap, future, current, deadline, retry + 1));
              return;
            }
            T value;
            try {
              value = unwrap.apply(transport.outcomes().decode(answer, converter));
            } catch (RuntimeException e) {
              transport.afterCall();
              future.completeExceptionally(e);
              return;
            }
            // Release first, so that whoever waits on the future sees the connection closed.
            transport.afterCall();
            future.complete(value);
          }
        });
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

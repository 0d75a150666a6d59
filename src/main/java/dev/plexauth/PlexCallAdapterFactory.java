package dev.plexauth;

import dev.plexauth.internal.PlexCall;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.CallAdapter;
import retrofit2.Converter;
import retrofit2.Retrofit;

/**
 * Retrofit's extension point for the generated interfaces' return type, {@link PlexCall}: Retrofit
 * builds the request and runs the call; this adapter asks it for the answer unread ({@link
 * ResponseBody}) and for the converter of the answer's model (converter-moshi with the generated
 * adapters), and hands both to a {@link RetryingCall}, which retries and lets {@link Outcomes} map
 * status, headers and body in one place. Immutable and thread-safe.
 */
final class PlexCallAdapterFactory extends CallAdapter.Factory {
  private final PlexTransport transport;

  PlexCallAdapterFactory(PlexTransport transport) {
    this.transport = transport;
  }

  @Override
  public @Nullable CallAdapter<?, ?> get(Type returnType, Annotation[] annotations,
      Retrofit retrofit) {
    if (getRawType(returnType) != PlexCall.class) {
      return null;
    }
    if (!(returnType instanceof ParameterizedType)) {
      throw new IllegalStateException("PlexCall must name its answer type, as PlexCall<Answer>");
    }
    Type answerType = getParameterUpperBound(0, (ParameterizedType) returnType);
    return adapter(retrofit.<Object>responseBodyConverter(answerType, annotations));
  }

  private <R> CallAdapter<ResponseBody, PlexCall<R>> adapter(Converter<ResponseBody, R> converter) {
    return new CallAdapter<ResponseBody, PlexCall<R>>() {
      @Override
      public Type responseType() {
        return ResponseBody.class;
      }

      @Override
      public PlexCall<R> adapt(Call<ResponseBody> call) {
        transport.checkOpen();
        return new RetryingCall<>(transport, call, converter);
      }
    };
  }
}

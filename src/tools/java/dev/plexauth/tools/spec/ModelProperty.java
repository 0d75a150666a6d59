package dev.plexauth.tools.spec;

import java.util.function.Function;

/**
 * One property of a generated model, as {@code dev.plexauth.tools.generated.ModelProperties} lists
 * them.
 *
 * @param javaName the accessor's name, for example {@code connections}
 * @param wireName the JSON name, for example {@code Connection}
 * @param secret whether the spec marks it {@code x-secret}
 * @param getter reads the property from a model instance
 */
public record ModelProperty(String javaName, String wireName, boolean secret,
    Function<Object, Object> getter) {

  /**
   * Reads the property.
   *
   * @param model an instance of the model that has it
   * @return the value, possibly null
   */
  public Object of(Object model) {
    return getter.apply(model);
  }
}

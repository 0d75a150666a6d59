package dev.plexauth.tools.spec;

/**
 * One parameter of a {@link SpecOperation}.
 *
 * @param name the wire name, which is also the CLI option's name ({@code --name})
 * @param required whether the spec requires it
 * @param example the spec's example value as text, or null
 * @param singleValue the only value its schema allows, as text, or null when it allows more
 * @param description the spec's description (CommonMark), or null
 * @param type the type the client method takes, for example {@code Boolean.class} for an {@code
 *     x-flag} parameter (whose example and single value are still the wire's 0 or 1)
 */
public record SpecParameter(String name, boolean required, String example, String singleValue,
    String description, Class<?> type) {}

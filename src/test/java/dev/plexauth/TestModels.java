package dev.plexauth;

import dev.plexauth.model.Connection;
import dev.plexauth.model.PlexError;

/** Expected values built with the generated models' builders. */
final class TestModels {
  private TestModels() {}

  static Connection connection(String protocol, String address, Integer port, String uri,
      boolean local, boolean relay) {
    return Connection.builder().protocol(protocol).address(address).port(port).uri(uri)
        .local(local).relay(relay).build();
  }

  static PlexError error(Integer code, String message, Integer status) {
    return PlexError.builder().code(code).message(message).status(status).build();
  }
}

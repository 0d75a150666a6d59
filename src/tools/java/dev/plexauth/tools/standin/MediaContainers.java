package dev.plexauth.tools.standin;

/**
 * Renders the bodies PMS sends: Media Containers as JSON or XML, and its HTML error pages.
 *
 * <p>Byte-for-byte shapes follow the official examples (see {@code plex-auth-facts.md}): JSON
 * {@code Device} is a single object (or, on request, the one-element array other servers send) and
 * {@code relay} is omitted when false; XML carries the same data as attributes with flags as
 * {@code "1"}/{@code "0"}.
 */
final class MediaContainers {
  private MediaContainers() {}

  static String transientTokenJson(String token) {
    return "{\"MediaContainer\":{\"size\":0,\"token\":" + json(token) + "}}";
  }

  static String transientTokenXml(String token) {
    return "<MediaContainer size=\"0\" token=\"" + xml(token) + "\"></MediaContainer>";
  }

  static String identityJson(String machineIdentifier, String version) {
    return "{\"MediaContainer\":{\"size\":0,\"claimed\":true,\"machineIdentifier\":"
        + json(machineIdentifier)
        + ",\"version\":"
        + json(version)
        + "}}";
  }

  static String identityXml(String machineIdentifier, String version) {
    return "<MediaContainer size=\"0\" claimed=\"1\" machineIdentifier=\""
        + xml(machineIdentifier)
        + "\" version=\""
        + xml(version)
        + "\"></MediaContainer>";
  }

  /**
   * The root Media Container ({@code GET /}), with the attributes python-plexapi's {@code
   * PlexServer} reads; flags as {@code 1}/{@code 0} in XML, booleans in JSON.
   */
  static String serverCapabilitiesJson(ServerFacts server) {
    return "{\"MediaContainer\":{\"size\":0,\"friendlyName\":" + json(server.friendlyName())
        + ",\"machineIdentifier\":" + json(server.machineIdentifier())
        + ",\"version\":" + json(server.version())
        + ",\"claimed\":true,\"myPlexUsername\":" + json(server.myPlexUsername())
        + ",\"myPlex\":true,\"platform\":" + json(server.platform())
        + ",\"platformVersion\":" + json(server.platformVersion()) + "}}";
  }

  static String serverCapabilitiesXml(ServerFacts server) {
    return "<MediaContainer size=\"0\" friendlyName=\"" + xml(server.friendlyName())
        + "\" machineIdentifier=\"" + xml(server.machineIdentifier())
        + "\" version=\"" + xml(server.version())
        + "\" claimed=\"1\" myPlexUsername=\"" + xml(server.myPlexUsername())
        + "\" myPlex=\"1\" platform=\"" + xml(server.platform())
        + "\" platformVersion=\"" + xml(server.platformVersion()) + "\"></MediaContainer>";
  }

  /** What {@code GET /} and {@code /identity} say about the server that answers. */
  record ServerFacts(String friendlyName, String machineIdentifier, String version,
      String myPlexUsername, String platform, String platformVersion) {}

  static String resourcesJson(StandInSource source, String accessToken) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"MediaContainer\":{\"size\":1,\"Device\":");
    b.append("{\"name\":").append(json(source.name()));
    b.append(",\"clientIdentifier\":").append(json(source.clientIdentifier()));
    b.append(",\"accessToken\":").append(json(accessToken));
    b.append(",\"Connection\":[");
    String separator = "";
    for (StandInConnection c : source.connections()) {
      b.append(separator).append("{\"protocol\":").append(json(c.protocol()));
      b.append(",\"address\":").append(json(c.address()));
      b.append(",\"port\":").append(c.port());
      b.append(",\"uri\":").append(json(c.uri()));
      b.append(",\"local\":").append(c.local());
      if (c.relay()) {
        b.append(",\"relay\":true");
      }
      b.append('}');
      separator = ",";
    }
    return b.append("]}}}").toString();
  }

  static String resourcesXml(StandInSource source, String accessToken) {
    StringBuilder b = new StringBuilder(256);
    b.append("<MediaContainer size=\"1\"><Device name=\"").append(xml(source.name()));
    b.append("\" clientIdentifier=\"").append(xml(source.clientIdentifier()));
    b.append("\" accessToken=\"").append(xml(accessToken)).append("\">");
    for (StandInConnection c : source.connections()) {
      b.append("<Connection protocol=\"").append(xml(c.protocol()));
      b.append("\" address=\"").append(xml(c.address()));
      b.append("\" port=\"").append(c.port());
      b.append("\" uri=\"").append(xml(c.uri()));
      b.append("\" local=\"").append(c.local() ? '1' : '0').append('"');
      if (c.relay()) {
        b.append(" relay=\"1\"");
      }
      b.append("/>");
    }
    return b.append("</Device></MediaContainer>").toString();
  }

  /** The HTML page PMS sends with an error status, whatever the request's Accept header says. */
  static String errorHtml(int status, String reason) {
    return "<html><head><title>"
        + reason
        + "</title></head><body><h1>"
        + status
        + " "
        + reason
        + "</h1></body></html>";
  }

  /** Returns a JSON string literal, quotes included. */
  static String json(String value) {
    StringBuilder b = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          // U+2028/2029 are legal JSON but break JavaScript string literals in Swagger UI pages.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  /** Returns a value safe inside a double-quoted XML 1.0 attribute. */
  static String xml(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        case '\'':
          b.append("&apos;");
          break;
        // Attribute-value normalisation would turn raw whitespace controls into spaces.
        case '\t':
          b.append("&#9;");
          break;
        case '\n':
          b.append("&#10;");
          break;
        case '\r':
          b.append("&#13;");
          break;
        default:
          // Other C0 controls and U+FFFE/FFFF cannot appear in XML 1.0 at all, not even escaped.
          b.append(c < 0x20 || c == '\uFFFE' || c == '\uFFFF' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }
}

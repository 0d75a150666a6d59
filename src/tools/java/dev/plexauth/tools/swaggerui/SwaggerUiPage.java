package dev.plexauth.tools.swaggerui;

/**
 * The two files {@link SwaggerUiServer} writes itself: the page, and the initializer that points
 * Swagger UI at the spec (the webjar's own initializer points at the public Petstore).
 */
final class SwaggerUiPage {
  private SwaggerUiPage() {}

  /** Returns the page; {@code webjar} is the path of the webjar's files, ending with a slash. */
  static String index(String webjar) {
    return """
        <!DOCTYPE html>
        <html lang="en">
          <head>
            <meta charset="UTF-8">
            <title>plex-auth: Swagger UI</title>
            <link rel="stylesheet" type="text/css" href="%1$sswagger-ui.css">
            <link rel="stylesheet" type="text/css" href="%1$sindex.css">
            <link rel="icon" type="image/png" href="%1$sfavicon-32x32.png" sizes="32x32">
            <link rel="icon" type="image/png" href="%1$sfavicon-16x16.png" sizes="16x16">
          </head>
          <body>
            <div id="swagger-ui"></div>
            <script src="%1$sswagger-ui-bundle.js" charset="UTF-8"></script>
            <script src="%1$sswagger-ui-standalone-preset.js" charset="UTF-8"></script>
            <script src="/swagger-initializer.js" charset="UTF-8"></script>
          </body>
        </html>
        """.formatted(webjar);
  }

  /**
   * Returns the initializer. {@code validatorUrl: null} keeps the page off the network (the
   * default badge asks a public validator about the spec). The request interceptor makes a call
   * ask for the media type the page shows as chosen: Swagger UI shows {@code application/json}
   * (the first one the spec lists) but sends {@code Accept: *}{@code /*} until the user picks one,
   * and PMS, like the stand-in, answers XML to anything but exactly {@code application/json}.
   */
  static String initializer(String specPath) {
    return """
        window.onload = function () {
          window.ui = SwaggerUIBundle({
            url: "%s",
            dom_id: "#swagger-ui",
            deepLinking: true,
            validatorUrl: null,
            requestInterceptor: function (request) {
              if (!request.loadSpec && (!request.headers.accept || request.headers.accept === "*/*")) {
                request.headers.accept = "application/json";
              }
              return request;
            },
            displayRequestDuration: true,
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
            plugins: [SwaggerUIBundle.plugins.DownloadUrl],
            layout: "StandaloneLayout",
            onComplete: function () {
              // The spec requires X-Plex-Client-Identifier with the token: fill it in, so that
              // "Try it out" sends what the SDK sends; the user pastes only the token.
              window.ui.preauthorizeApiKey("PlexClientIdentifier", "swagger-ui-try-it-out");
            }
          });
        };
        """.formatted(specPath);
  }
}

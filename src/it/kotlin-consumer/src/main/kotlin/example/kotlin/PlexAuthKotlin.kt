package example.kotlin

import dev.plexauth.PlexAuthClient
import dev.plexauth.model.Connection
import dev.plexauth.model.SourceConnectionInformation
import kotlinx.coroutines.future.await

/** One way to reach a source, as the application keeps it. */
data class Endpoint(val uri: String, val local: Boolean, val relay: Boolean, val port: Int?)

/** What the application keeps of a source's connection information. */
data class Source(
    val clientIdentifier: String,
    val name: String,
    val accessToken: String?,
    val endpoints: List<Endpoint>,
)

/** A client for one server and token; close it (`use`) when done. */
fun plexClient(baseUrl: String, token: String, clientIdentifier: String): PlexAuthClient =
    PlexAuthClient.builder()
        .baseUrl(baseUrl)
        .token(token)
        .clientIdentifier(clientIdentifier)
        .product("plex-auth Kotlin consumer")
        .version("1")
        .build()

/** Mints a transient token, blocking. The spec requires the token: a String, never null. */
fun transientToken(client: PlexAuthClient): String = client.getTransientToken().token()

/**
 * Reads a source's connection information from a coroutine: the CompletableFuture of the Async
 * method suspends the coroutine instead of blocking a thread.
 */
suspend fun source(client: PlexAuthClient, source: String): Source {
    val device: SourceConnectionInformation =
        client.getSourceConnectionInformationAsync(source).await()
    return Source(
        // Required by the spec: String.
        clientIdentifier = device.clientIdentifier(),
        // Not required: String?, so the compiler asks what to do when it is absent.
        name = device.name() ?: "(unnamed)",
        accessToken = device.accessToken(),
        // A list is never null (empty when absent), and neither are its items.
        endpoints = device.connections().mapNotNull(::endpoint),
    )
}

/** A connection without a URI is of no use to the application. */
private fun endpoint(connection: Connection): Endpoint? {
    val uri: String = connection.uri() ?: return null
    return Endpoint(uri, connection.local(), connection.relay(), connection.port())
}

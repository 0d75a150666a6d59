package example.kotlin

import dev.plexauth.PlexAuthClient
import dev.plexauth.PlexCallback
import dev.plexauth.PlexException
import dev.plexauth.model.Connection
import dev.plexauth.model.SourceConnectionInformation
import dev.plexauth.model.TransientToken
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.future.await
import kotlinx.coroutines.suspendCancellableCoroutine

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
 * Mints a transient token from a coroutine through the callback form, which runs from Android
 * API 21 without desugaring: cancelling the coroutine cancels the call.
 */
suspend fun transientTokenFromApi21(client: PlexAuthClient): String =
    suspendCancellableCoroutine { continuation ->
        val call = client.getTransientTokenAsync(object : PlexCallback<TransientToken> {
            override fun onSuccess(result: TransientToken) = continuation.resume(result.token())

            override fun onFailure(failure: PlexException) =
                continuation.resumeWithException(failure)
        })
        continuation.invokeOnCancellation { call.cancel() }
    }

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

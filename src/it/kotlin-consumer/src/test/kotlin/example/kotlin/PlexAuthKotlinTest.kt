package example.kotlin

import dev.plexauth.PlexDecodingException
import dev.plexauth.PlexUnauthorizedException
import dev.plexauth.model.Connection
import dev.plexauth.model.SourceConnectionInformation
import dev.plexauth.model.TransientToken
import java.net.InetAddress
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import kotlin.reflect.typeOf
import kotlinx.coroutines.runBlocking
import okhttp3.mockwebserver.MockResponse
import okhttp3.mockwebserver.MockWebServer
import okhttp3.mockwebserver.RecordedRequest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail

/** The Kotlin consumer against a loopback server that answers the spec's example payloads. */
class PlexAuthKotlinTest {
    private val server = MockWebServer()

    @BeforeEach
    fun startServer() {
        server.start(InetAddress.getLoopbackAddress(), 0)
    }

    @AfterEach
    fun stopServer() {
        server.shutdown()
    }

    @Test
    fun bothOperationsRunFromKotlinOneOfThemInACoroutine() {
        server.enqueue(json("transient-token.json"))
        server.enqueue(json("source-connection-information.json"))

        val (token, source) =
            plexClient(server.url("/").toString(), OWNER_TOKEN, "kotlin-it-0001").use { client ->
                transientToken(client) to runBlocking { source(client, SOURCE) }
            }

        assertEquals("transient-90904684-f91a-4391-8bf7-e0dfa7240285", token)
        assertEquals(
            Source(
                clientIdentifier = "243b471948ace337a8f92f129ec97d1902fcb1df",
                name = "PlexCorp (plex-corp)",
                accessToken = "transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a",
                endpoints = listOf(
                    Endpoint("https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400",
                        local = true, relay = false, port = 32400),
                    Endpoint("https://64-71-188-222.93b10b279ff8456686414add109854cd.plex.direct:32403",
                        local = false, relay = false, port = 32403),
                    Endpoint("https://139-162-158-105.93b10b279ff8456686414add109854cd.plex.direct:8443",
                        local = false, relay = true, port = 8443),
                ),
            ),
            source)
        assertPlexRequest(take(), "/security/token?type=delegation&scope=all")
        assertPlexRequest(take(), "/security/resources?source=server%3A%2F%2F$SERVER_ID")
        assertEquals(2, server.requestCount)
    }

    @Test
    fun theCallbackFormSuspendsACoroutineAndAFailureComesOutAsItsException() {
        server.enqueue(json("transient-token.json"))
        server.enqueue(MockResponse().setResponseCode(401)
            .setHeader("Content-Type", "application/json")
            .setBody("""{"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]}"""))

        plexClient(server.url("/").toString(), OWNER_TOKEN, "kotlin-it-0001").use { client ->
            assertEquals("transient-90904684-f91a-4391-8bf7-e0dfa7240285",
                runBlocking { transientTokenFromApi21(client) })
            val failure = assertThrows<PlexUnauthorizedException> {
                runBlocking { transientTokenFromApi21(client) }
            }
            assertEquals(401, failure.code())
            assertEquals(1001, failure.errors()[0].code())
        }
        assertPlexRequest(take(), "/security/token?type=delegation&scope=all")
        assertPlexRequest(take(), "/security/token?type=delegation&scope=all")
    }

    /**
     * The nullability the Kotlin compiler gave plex-auth's values, as it inferred their types:
     * never null where the spec requires a value, nullable where it does not. Without plex-auth's
     * annotations each would be a platform type (`String!`), which Kotlin lets through unchecked
     * either way.
     */
    @Test
    fun theCompilerReadsPlexAuthsNullability() {
        val connection = Connection.builder().build()
        val device = SourceConnectionInformation.builder()
            .clientIdentifier(SERVER_ID)
            .connections(listOf(connection))
            .build()
        assertEquals(NEVER_NULL, nullness(device.clientIdentifier()))
        assertEquals(NULLABLE, nullness(device.name()))
        assertEquals(NULLABLE, nullness(device.accessToken()))
        assertEquals(NEVER_NULL, nullness(device.connections()))
        assertEquals(NEVER_NULL, nullness(device.connections()[0]))
        assertEquals(NULLABLE, nullness(connection.uri()))
        assertEquals(NULLABLE, nullness(connection.port()))
        assertEquals(NEVER_NULL, nullness(connection.local()))
        val token = TransientToken.builder().token("transient-0").build()
        assertEquals(NEVER_NULL, nullness(token.token()))
        assertEquals(NULLABLE, nullness(token.size()))
        server.enqueue(MockResponse().setHeader("Content-Type", "text/html").setBody("<html></html>"))
        val failure = assertThrows<PlexDecodingException> {
            plexClient(server.url("/").toString(), OWNER_TOKEN, "kotlin-it-0001").use {
                transientToken(it)
            }
        }
        assertEquals(NULLABLE, nullness(failure.contentType()))
        assertEquals("text/html", failure.contentType())
    }

    /** The annotations are read from plex-auth's class files: no JSpecify jar comes with it. */
    @Test
    fun noAnnotationJarReachesTheConsumer() {
        assertThrows<ClassNotFoundException> { Class.forName("org.jspecify.annotations.NullMarked") }
    }

    private fun take(): RecordedRequest =
        server.takeRequest(10, TimeUnit.SECONDS) ?: fail("no request arrived within 10 s")

    private fun assertPlexRequest(request: RecordedRequest, path: String) {
        assertEquals("GET", request.method)
        assertEquals(path, request.path)
        assertEquals(OWNER_TOKEN, request.getHeader("X-Plex-Token"))
        assertEquals("kotlin-it-0001", request.getHeader("X-Plex-Client-Identifier"))
        assertEquals("plex-auth Kotlin consumer", request.getHeader("X-Plex-Product"))
        assertEquals("application/json", request.getHeader("Accept"))
    }

    private companion object {
        const val OWNER_TOKEN = "kotlin-owner-token"
        const val SERVER_ID = "243b471948ace337a8f92f129ec97d1902fcb1df"
        const val SOURCE = "server://$SERVER_ID"

        const val NEVER_NULL = "never null"
        const val NULLABLE = "nullable"
        const val PLATFORM = "platform (unknown)"

        /**
         * The nullability of the argument's type as the compiler inferred it at the call site.
         * kotlin.reflect.typeOf keeps platform types, and renders them (and only them) with `!`
         * (`String!`) or as a range (`(List<T!>..List<T!>?)`); its text ends with a note when
         * kotlin-reflect is absent, as here.
         */
        inline fun <reified T> nullness(@Suppress("UNUSED_PARAMETER") value: T): String {
            val type = typeOf<T>()
            val text = type.toString().substringBefore(" (")
            return when {
                type.isMarkedNullable -> NULLABLE
                '!' in text || ".." in text -> PLATFORM
                else -> NEVER_NULL
            }
        }

        fun json(fixture: String): MockResponse {
            val path = Path.of(System.getProperty("plexauth.fixtures"), fixture)
            return MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(String(Files.readAllBytes(path), Charsets.UTF_8))
        }
    }
}

package example.nullability

import dev.plexauth.PlexDecodingException
import dev.plexauth.api.SecurityApi
import dev.plexauth.internal.Redaction
import dev.plexauth.internal.generated.SecretNames
import dev.plexauth.model.Connection
import dev.plexauth.model.SourceConnectionInformation

// A line that ends in an "expect" mark must fail to compile with that message; every other line
// must compile. postbuild.groovy checks both against build.log. One use of each package of the jar.

/** dev.plexauth.model: optional properties are nullable; required ones and list items are not. */
fun models(device: SourceConnectionInformation) {
    val name: String = device.name() // expect: Initializer type mismatch: expected 'String', actual 'String?'
    val nameOrNull: String? = device.name()
    val id = device.clientIdentifier()?.length // expect: Unnecessary safe call on a non-null receiver of type 'String'
    val uri = device.connections().first()?.uri() // expect: Unnecessary safe call on a non-null receiver of type 'Connection'
    println(listOf(name, nameOrNull, id, uri))
}

/** dev.plexauth.model: an optional property's setter takes null, a required one's does not. */
fun builders() {
    SourceConnectionInformation.builder()
        .name(null)
        .clientIdentifier(null) // expect: Null cannot be a value of a non-null type 'String'
    Connection.builder().uri(null).port(null)
}

/** dev.plexauth.api: an optional parameter takes null, a required one does not. */
fun api(security: SecurityApi) {
    security.getSourceConnectionInformation(
        null, // expect: Null cannot be a value of a non-null type 'String'
        null)
}

/** dev.plexauth: what an exception may lack is nullable. */
fun exceptions(failure: PlexDecodingException) {
    val contentType: String = failure.contentType() // expect: Initializer type mismatch: expected 'String', actual 'String?'
    println(contentType)
}

/** dev.plexauth.internal and dev.plexauth.internal.generated: null-marked too. */
fun internals() {
    println(Redaction.MASK?.length) // expect: Unnecessary safe call on a non-null receiver of type 'String'
    println(SecretNames.names()?.size) // expect: Unnecessary safe call on a non-null receiver of type 'Array<(out) String>'
}

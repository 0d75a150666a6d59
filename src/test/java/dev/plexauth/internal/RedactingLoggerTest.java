package dev.plexauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every shape in which a token can reach a log line is masked before the sink sees it. */
class RedactingLoggerTest {
  private final List<String> lines = new ArrayList<>();
  private final RedactingLogger logger = new RedactingLogger(lines::add, Redaction.of("Ab+cd/Ef=gh"));

  @Test
  void urlEncodedCallerTokenInALocationHeaderIsMasked() {
    logger.log("Location: http://127.0.0.2:1/x?X-Plex-Token=Ab%2Bcd%2FEf%3Dgh");

    assertEquals(List.of("Location: http://127.0.0.2:1/x?X-Plex-Token=██"), lines);
  }

  @Test
  void jsonAndXmlTokenValuesAreMaskedWhateverTheirPrefix() {
    logger.log("{\"token\":\"abc\\\"def\",\"accessToken\" : \"xyz\",\"name\":\"keep\"}");
    logger.log("<MediaContainer size=\"0\" token=\"plain\" accessToken='x'/>");

    assertEquals("{\"token\":\"██\",\"accessToken\" : \"██\",\"name\":\"keep\"}", lines.get(0));
    assertEquals("<MediaContainer size=\"0\" token=\"██\" accessToken='██'/>", lines.get(1));
  }

  @Test
  void aSecretSentAsAnotherJsonValueIsMaskedToo() {
    logger.log("{\"token\":987654321,\"accessToken\": true,\"name\":12}");
    logger.log("{\"token\":[\"arr-secret\", 2],\"accessToken\":{\"v\":\"obj-secret\"},\"n\":[1]}");

    assertEquals("{\"token\":██,\"accessToken\": ██,\"name\":12}", lines.get(0));
    assertEquals("{\"token\":██,\"accessToken\":██,\"n\":[1]}", lines.get(1));
  }

  @Test
  void transientTokensAnywhereAndThePlainCallerTokenAreMasked() {
    logger.log("echo Ab+cd/Ef=gh and transient-1a2b_3c.4d~5e-6f!");

    assertEquals(List.of("echo ██ and ██!"), lines);
  }

  @Test
  void aCallerTokenThatIsPartOfATransientTokenLeavesNoPartOfEitherReadable() {
    String transientToken = "transient-11111111-2222-3333-4444-555555555555";
    // The caller's token inside a transient token's shape, and one holding a transient token.
    for (String callerToken : List.of("transient-1111", "ransient-11111111", "2222-3333-4444-5555",
        "abc-transient-1234")) {
      List<String> masked = new ArrayList<>();
      RedactingLogger withToken = new RedactingLogger(masked::add, Redaction.of(callerToken));

      withToken.log("minted " + transientToken + " for " + callerToken + "; mint again");

      assertEquals(List.of("minted ██ for ██; mint again"), masked, callerToken);
    }
  }

  @Test
  void aSecretValueOfAMillionCharactersIsMaskedWithoutOverflowingTheStack() {
    String value = "a\\\"b".repeat(250_000);
    logger.log("{\"token\":\"" + value + "\",\"name\":\"keep\"}");

    assertEquals(List.of("{\"token\":\"██\",\"name\":\"keep\"}"), lines);
  }
}

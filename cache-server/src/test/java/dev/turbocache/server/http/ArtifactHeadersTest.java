package dev.turbocache.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.MetadataField;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Metadata text is printable ASCII on the way in and on the way out. */
class ArtifactHeadersTest {
  private static final Instant CREATED = Instant.parse("2026-12-02T15:00:00Z");

  /**
   * Header values as Undertow hands them over: one character per octet (ISO-8859-1), so the UTF-8
   * octets of {@code ü} arrive as {@code Ã¼}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"caf\u00c3\u00bc", "caf\u00fc", "tab\there", "del\u007f"})
  void anUploadedValueThatIsNotPrintableAsciiIsRefused(String value) {
    for (String name : new String[] {"x-artifact-tag", "x-artifact-sha", "x-artifact-dirty-hash",
        "x-artifact-client-ci"}) {
      HeaderMap headers = new HeaderMap().put(new HttpString(name), value);

      assertThatThrownBy(() -> ArtifactHeaders.read(headers, 1, ArtifactHeaders.TURBO_UPLOAD))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error().status()).isEqualTo(400);
            assertThat(e.error().code()).isEqualTo("bad_request");
            assertThat(e.error().message()).isEqualTo(name + " must be printable ASCII");
          });
    }
  }

  @Test
  void everyPrintableAsciiCharacterIsKeptAndWrittenBackVerbatim() {
    StringBuilder all = new StringBuilder();
    for (char c = 0x21; c <= 0x7e; c++) {
      all.append(c).append(c % 10 == 0 ? " " : "");
    }
    String tag = all.toString();
    HeaderMap in = new HeaderMap().put(new HttpString("x-artifact-tag"), tag);

    ArtifactMetadata read = ArtifactHeaders.read(in, 1, ArtifactHeaders.TURBO_UPLOAD);
    HeaderMap out = new HeaderMap();
    ArtifactHeaders.write(read, out, ArtifactHeaders.TURBO_DOWNLOAD);

    assertThat(read.tag()).isEqualTo(tag);
    assertThat(out.getFirst("x-artifact-tag")).isEqualTo(tag);
  }

  /**
   * A tier may read a value no upload could carry from a blob another tool wrote. Undertow would
   * send each character as its low byte ({@code ☃}, U+2603, as the control octet 0x03), so such a
   * value is left out rather than sent as other octets; the other fields are still sent.
   */
  @ParameterizedTest
  @ValueSource(strings = {"\u2603x", "caf\u00fc", "line\nbreak"})
  void aStoredValueThatIsNotPrintableAsciiIsNotSent(String stored) {
    ArtifactMetadata metadata =
        new ArtifactMetadata(1, 42L, stored, "a1b2", stored, null, CREATED);
    HeaderMap out = new HeaderMap();

    ArtifactHeaders.write(metadata, out, ArtifactHeaders.ALL);

    assertThat(out.contains(MetadataField.TAG.header())).isFalse();
    assertThat(out.contains(MetadataField.DIRTY_HASH.header())).isFalse();
    assertThat(out.getFirst(MetadataField.DURATION_MS.header())).isEqualTo("42");
    assertThat(out.getFirst(MetadataField.SHA.header())).isEqualTo("a1b2");
    assertThat(out.getFirst(MetadataField.CREATED_AT.header())).isEqualTo(CREATED.toString());
  }
}

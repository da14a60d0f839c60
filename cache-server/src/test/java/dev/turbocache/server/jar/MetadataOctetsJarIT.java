package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.disk.ForeignArtifactFile;
import dev.turbocache.server.testing.RawHttp;
import dev.turbocache.server.testing.ServerJarProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The octets of the {@code x-artifact-*} headers through the packaged jar, on raw sockets (
 * java.net.http sends a header character above 0x7f as {@code ?}, so it cannot show them). Every
 * string here is ISO-8859-1: one character per octet on the wire.
 */
class MetadataOctetsJarIT {
  /** Every printable ASCII octet, spaces only inside (a header value's edges are trimmed). */
  private static final String PRINTABLE = printableAscii();

  @TempDir Path dir;

  @Test
  void anUploadWithOctetsOutsidePrintableAsciiIsRefusedAndStoresNothing() throws IOException {
    try (ServerJarProcess server = ServerJarProcess.start(dir)) {
      // "café" as UTF-8 (c3 bc) and as ISO-8859-1 (fc).
      for (String tag : List.of("caf\u00c3\u00bc", "caf\u00fc")) {
        String response = put(server, "aa01", "x-artifact-tag: " + tag);

        assertThat(RawHttp.status(response)).as(response).isEqualTo(400);
        assertThat(header(response, "content-type")).isEqualTo("application/json");
        assertThat(RawHttp.body(response)).isEqualTo(
            "{\"error\":{\"code\":\"bad_request\",\"message\":\"x-artifact-tag must be printable ASCII\"}}");
      }
      assertThat(RawHttp.status(get(server, "GET", "aa01"))).isEqualTo(404);
    }
  }

  /**
   * What an upload carried comes back octet for octet, from the memory tier and, after a restart,
   * from the disk tier's file. Beside it lies a file another tool could have written, with a tag
   * no upload could carry: Undertow would send its U+2603 as the control octet 0x03, so the tag is
   * left out and the rest of that file's metadata is sent.
   */
  @Test
  void printableAsciiComesBackAsTheSameOctetsAndAStoredValueThatIsNotIsLeftOut() throws IOException {
    String team;
    try (ServerJarProcess first = ServerJarProcess.start(dir)) {
      team = first.team();
      String put = put(first, "aa02", "x-artifact-tag: " + PRINTABLE, "x-artifact-sha: " + PRINTABLE,
          "x-artifact-dirty-hash: " + PRINTABLE);
      assertThat(RawHttp.status(put)).as(put).isEqualTo(202);

      for (String method : List.of("GET", "HEAD")) {
        assertThatTheMetadataIsPrintable(get(first, method, "aa02"));
      }
    }
    writeForeignDiskFile(new ArtifactKey(team, "aa03"), new ArtifactMetadata(4, 42L, "\u2603x", "a1b2",
        null, null, Instant.parse("2026-12-02T15:00:00Z")));

    try (ServerJarProcess second = ServerJarProcess.start(dir)) {
      assertThatTheMetadataIsPrintable(get(second, "GET", "aa02"));

      String foreign = get(second, "GET", "aa03");
      assertThat(RawHttp.status(foreign)).as(foreign).isEqualTo(200);
      assertThat(RawHttp.body(foreign)).isEqualTo("body");
      assertThat(header(foreign, "x-artifact-tag")).as(foreign).isNull();
      assertThat(header(foreign, "x-artifact-duration")).isEqualTo("42");
      assertThat(header(foreign, "x-artifact-sha")).isEqualTo("a1b2");
    }
  }

  /** A disk-tier file with the body {@code body}, as another tool could have written it. */
  private void writeForeignDiskFile(ArtifactKey key, ArtifactMetadata metadata) throws IOException {
    ForeignArtifactFile.write(ServerJarProcess.dataHome(dir).resolve("turbocache/artifacts"), key, 1L, metadata,
        "body".getBytes());
  }

  private static void assertThatTheMetadataIsPrintable(String response) {
    assertThat(RawHttp.status(response)).as(response).isEqualTo(200);
    for (String name : List.of("x-artifact-tag", "x-artifact-sha", "x-artifact-dirty-hash")) {
      assertThat(header(response, name)).as(name).isEqualTo(PRINTABLE);
    }
  }

  private static String put(ServerJarProcess server, String hash, String... headers) throws IOException {
    return RawHttp.exchange(port(server), "PUT /v8/artifacts/" + hash + "?slug=" + server.team()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.token()
        + "\r\nContent-Length: 4\r\n" + String.join("\r\n", headers), "body".getBytes());
  }

  private static String get(ServerJarProcess server, String method, String hash) throws IOException {
    return RawHttp.exchange(port(server), method + " /v8/artifacts/" + hash + "?slug=" + server.team()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.token(), new byte[0]);
  }

  private static int port(ServerJarProcess server) {
    return URI.create(server.baseUrl()).getPort();
  }

  /** The value of the one response header called {@code name}, octet for octet; null when absent. */
  private static String header(String response, String name) {
    String head = response.substring(0, response.indexOf("\r\n\r\n"));
    List<String> values = head.lines().skip(1)
        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
        .map(line -> line.substring(name.length() + 1).strip())
        .toList();
    assertThat(values).as(name + " in\n" + head).hasSizeLessThan(2);
    return values.isEmpty() ? null : values.getFirst();
  }

  private static String printableAscii() {
    StringBuilder all = new StringBuilder();
    for (char c = 0x21; c <= 0x7e; c++) {
      all.append(c).append(c % 10 == 0 ? " " : "");
    }
    return all.toString();
  }
}

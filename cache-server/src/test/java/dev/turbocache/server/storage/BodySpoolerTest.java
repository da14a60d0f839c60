package dev.turbocache.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodySpoolerTest {
  private static final int THRESHOLD = 1024;

  @TempDir Path tempDir;
  Path spoolDir;
  BodySpooler spooler;

  @BeforeEach
  void setUp() throws IOException {
    spoolDir = tempDir.resolve("spool");
    spooler = new BodySpooler(spoolDir, THRESHOLD, 64L << 20);
  }

  private List<Path> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(spoolDir)) {
      return files.toList();
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void smallBodyStaysOnTheHeap() throws IOException {
    byte[] data = random(THRESHOLD);
    try (ArtifactBody body = spooler.spool(new ByteArrayInputStream(data), data.length)) {
      assertThat(body).isInstanceOf(ArtifactBody.Bytes.class);
      assertThat(body.openStream().readAllBytes()).isEqualTo(data);
    }
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void largeBodyGoesToAFileDeletedOnClose() throws IOException {
    byte[] data = random(THRESHOLD + 1);
    ArtifactBody body = spooler.spool(new ByteArrayInputStream(data), data.length);

    assertThat(body).isInstanceOf(ArtifactBody.FileRegion.class);
    assertThat(spoolFiles()).hasSize(1);
    // Re-readable: every tier gets its own stream.
    assertThat(body.openStream().readAllBytes()).isEqualTo(data);
    assertThat(body.openStream().readAllBytes()).isEqualTo(data);

    body.close();
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void shortStreamFailsAndLeavesNoFile() throws IOException {
    for (int declared : new int[] {THRESHOLD, 10 * THRESHOLD}) {
      byte[] data = random(declared - 1);
      assertThatThrownBy(() -> spooler.spool(new ByteArrayInputStream(data), declared))
          .isInstanceOf(IncompleteBodyException.class);
    }
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void longerStreamThanDeclaredFailsAndLeavesNoFile() throws IOException {
    for (int declared : new int[] {THRESHOLD, 10 * THRESHOLD}) {
      byte[] data = random(declared + 1);
      assertThatThrownBy(() -> spooler.spool(new ByteArrayInputStream(data), declared))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("longer");
    }
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void refusesBodiesOverTheLimitWithoutReadingThem() throws IOException {
    BodySpooler limited = new BodySpooler(spoolDir, THRESHOLD, 5000);
    ByteArrayInputStream in = new ByteArrayInputStream(random(5001));
    assertThatThrownBy(() -> limited.spool(in, 5001)).isInstanceOf(ArtifactTooLargeException.class);
    assertThat(in.available()).isEqualTo(5001);
    try (ArtifactBody ok = limited.spool(new ByteArrayInputStream(random(5000)), 5000)) {
      assertThat(ok.size()).isEqualTo(5000);
    }
  }

  @Test
  void copiesThroughAFixedSizeBuffer() throws IOException {
    int size = 8 << 20;
    int[] largestRead = {0};
    InputStream in = new FilterInputStream(new ByteArrayInputStream(new byte[size])) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        largestRead[0] = Math.max(largestRead[0], len);
        return super.read(b, off, len);
      }
    };
    try (ArtifactBody body = spooler.spool(in, size)) {
      assertThat(body.size()).isEqualTo(size);
    }
    assertThat(largestRead[0]).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void removesStaleSpoolFilesOnStart() throws IOException {
    Files.write(spoolDir.resolve("body-123.spool"), new byte[10]);
    new BodySpooler(spoolDir, THRESHOLD, 1000);
    assertThat(spoolFiles()).isEmpty();
  }

  private static java.nio.channels.ReadableByteChannel channel(byte[] data) {
    return java.nio.channels.Channels.newChannel(new ByteArrayInputStream(data));
  }

  @Test
  void channelBodiesSpoolLikeStreams() throws IOException {
    for (int size : new int[] {0, THRESHOLD, THRESHOLD + 1, 1 << 20}) {
      byte[] data = random(size);
      try (ArtifactBody body = spooler.spool(channel(data), size)) {
        assertThat(body).isInstanceOf(size <= THRESHOLD ? ArtifactBody.Bytes.class
            : ArtifactBody.FileRegion.class);
        assertThat(body.openStream().readAllBytes()).isEqualTo(data);
      }
    }
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void channelShorterOrLongerThanDeclaredFailsAndLeavesNoFile() throws IOException {
    for (int declared : new int[] {THRESHOLD, 10 * THRESHOLD}) {
      assertThatThrownBy(() -> spooler.spool(channel(random(declared - 1)), declared))
          .isInstanceOf(IncompleteBodyException.class);
      assertThatThrownBy(() -> spooler.spool(channel(random(declared + 1)), declared))
          .isInstanceOf(IOException.class).hasMessageContaining("longer");
    }
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void spoolFilesLeaveHeaderRoomBeforeTheBody() throws IOException {
    byte[] data = random(THRESHOLD + 10);
    try (ArtifactBody body = spooler.spool(new ByteArrayInputStream(data), data.length)) {
      ArtifactBody.FileRegion region = (ArtifactBody.FileRegion) body;
      assertThat(region.offset()).isEqualTo(BodySpooler.HEADER_ROOM);
      assertThat(region.spool().headerRoom()).isEqualTo(BodySpooler.HEADER_ROOM);
      assertThat(Files.size(region.spool().path())).isEqualTo(BodySpooler.HEADER_ROOM + data.length);
      assertThat(region.spool().claim()).isTrue();
      assertThat(region.spool().claim()).as("only one taker").isFalse();
    }
  }
}

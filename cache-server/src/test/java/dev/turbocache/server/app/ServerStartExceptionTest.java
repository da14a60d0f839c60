package dev.turbocache.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ServerStartExceptionTest {
  @Test
  void theReasonIsTheInnermostCauseInWords() {
    assertThat(ServerStartException.of("cannot create the data directory /d",
        new UncheckedIOException("cannot create the data directory /d", new AccessDeniedException("/d"))))
        .hasMessage("cannot create the data directory /d: permission denied (/d)");
    assertThat(ServerStartException.reason(new NoSuchFileException("/a/b"))).isEqualTo("no such file or directory (/a/b)");
    assertThat(ServerStartException.reason(new FileAlreadyExistsException("/f"))).isEqualTo("/f exists and is not a directory");
    assertThat(ServerStartException.reason(new FileSystemException("/r", null, "Read-only file system")))
        .isEqualTo("Read-only file system (/r)");
    assertThat(ServerStartException.reason(new IOException("outer", new BindException("Address already in use"))))
        .isEqualTo("Address already in use");
    assertThat(ServerStartException.reason(new IOException())).isEqualTo("IOException");
  }
}

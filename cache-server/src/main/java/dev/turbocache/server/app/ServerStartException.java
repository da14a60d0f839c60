package dev.turbocache.server.app;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The server cannot start for a reason its user can fix: a port, a directory or a file named by
 * the configuration. The message says which and why, for {@code serve} to print as it is.
 */
public class ServerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "{@code what}: why", the why taken from the innermost cause of {@code failure}. */
  static ServerStartException of(String what, Throwable failure) {
    return new ServerStartException(what + ": " + reason(failure), failure);
  }

  /**
   * The innermost cause in words. The JDK's file exceptions carry only the path as their message
   * ("/data/turbo"), so their kind becomes the reason.
   */
  static String reason(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return switch (t) {
      case AccessDeniedException e -> "permission denied (" + e.getFile() + ")";
      case NoSuchFileException e -> "no such file or directory (" + e.getFile() + ")";
      case FileAlreadyExistsException e -> e.getFile() + " exists and is not a directory";
      case FileSystemException e when e.getReason() != null -> e.getReason() + " (" + e.getFile() + ")";
      default -> t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    };
  }
}

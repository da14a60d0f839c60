package dev.turbocache.server.storage;

import java.io.IOException;
import java.util.Locale;

/**
 * A write failed because the file system is out of space (or quota, or the process's file-size
 * limit). It is not a broken tier: reads still work and the next write succeeds once space
 * returns, so circuit breakers ignore it and clients get 507 instead of 503.
 */
public final class StorageFullException extends IOException {
  /** strerror texts of ENOSPC, EDQUOT and EFBIG, which is all the JDK reports of the errno. */
  private static final String[] MESSAGES = {
    "no space left on device", "disk quota exceeded", "file too large"
  };

  public StorageFullException(String where, IOException cause) {
    super(where + ": " + cause.getMessage(), cause);
  }

  /** True when {@code e} or one of its causes says the file system is full. */
  public static boolean isFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StorageFullException) {
        return true;
      }
      String message = t.getMessage();
      if (message != null) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (String m : MESSAGES) {
          if (lower.contains(m)) {
            return true;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** {@code e} as a StorageFullException when it is one in substance, else {@code e} itself. */
  public static IOException classify(String where, IOException e) {
    if (e instanceof StorageFullException || !isFull(e)) {
      return e;
    }
    return new StorageFullException(where, e);
  }
}

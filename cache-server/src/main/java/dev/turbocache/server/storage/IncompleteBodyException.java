package dev.turbocache.server.storage;

import java.io.IOException;

/**
 * The body stream ended before the declared length: typically a client that disconnected mid
 * upload. Its own type so the HTTP layer can tell a broken upload from a storage failure.
 */
public class IncompleteBodyException extends IOException {
  public IncompleteBodyException(long expected, long received) {
    super("body ended after " + received + " of " + expected + " declared bytes");
  }
}

package dev.turbocache.server.app;

/** A port the configuration names could not be listened on (taken, or not permitted). */
public final class PortUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PortUnavailableException(String setting, String host, int port, Exception failure) {
    super("cannot listen on " + host + ":" + port + " (" + setting + "): " + reason(failure), failure);
  }

  /** The innermost cause is the socket's own message ("Address already in use"). */
  private static String reason(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}

package dev.turbocache.server.app;

/** A port the configuration names could not be listened on (taken, or not permitted). */
public final class PortUnavailableException extends ServerStartException {
  private static final long serialVersionUID = 1L;

  /** The innermost cause of {@code failure} is the socket's own message ("Address already in use"). */
  PortUnavailableException(String setting, String host, int port, Exception failure) {
    super("cannot listen on " + host + ":" + port + " (" + setting + "): " + reason(failure), failure);
  }
}

package dev.turbocache.server.cli;

/** The exit codes of every command, listed in each command's --help. */
final class ExitCodes {
  static final int OK = 0;
  /** The operation failed: the server answered with an error, a file could not be written... */
  static final int FAILED = 1;
  /** Bad arguments (picocli's own usage errors use the same code). */
  static final int USAGE = 2;
  /** The server could not be reached (connection refused, unknown host, timeout). */
  static final int UNREACHABLE = 3;
  /** The server refused the token: 401 (missing or unknown) or 403 (not admin, wrong team). */
  static final int REFUSED = 4;

  static final String[] LIST = {
    "0:Success.",
    "1:The operation failed (the server answered with an error, a file could not be read or written).",
    "2:Bad arguments.",
    "3:The server could not be reached (connection refused, unknown host, timeout).",
    "4:The server refused the token (401: missing or unknown; 403: not an admin token for that team)."
  };

  private ExitCodes() {}
}

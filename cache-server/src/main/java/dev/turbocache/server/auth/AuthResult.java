package dev.turbocache.server.auth;

import java.util.Objects;

/**
 * Outcome of {@link Authenticator#check}. The HTTP layer answers a {@link Denied} result with
 * {@link Denied#httpStatus()} and the body {@code {"error":{"code":…,"message":…}}}, which is
 * the shape turbo parses; a 401 should also carry {@code WWW-Authenticate: Bearer}.
 */
public sealed interface AuthResult {
  String UNAUTHORIZED = "unauthorized";
  String FORBIDDEN = "forbidden";

  /** The request may proceed as {@code principal}. */
  record Allowed(Principal principal) implements AuthResult {
    public Allowed {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /**
   * Not decided yet: the token needs a check that may take time (a JWT's signature, perhaps its
   * issuer's keys), and the caller did not let it wait ({@code mayWait} false).
   */
  record Pending() implements AuthResult {}

  /** The request may not proceed; code and message are safe to send to the client. */
  sealed interface Denied extends AuthResult {
    String code();

    String message();

    int httpStatus();
  }

  /** No usable credentials: HTTP 401. */
  record Unauthenticated(String code, String message) implements Denied {
    @Override
    public int httpStatus() {
      return 401;
    }
  }

  /** Credentials the server cannot check right now (a JWT issuer's keys unavailable): HTTP 503. */
  record Unavailable(String code, String message) implements Denied {
    @Override
    public int httpStatus() {
      return 503;
    }
  }

  /**
   * Valid credentials that do not cover this team or operation: HTTP 403. The caller is known,
   * so the access log can name the refused token.
   */
  record Forbidden(String code, String message, Principal principal) implements Denied {
    public Forbidden {
      Objects.requireNonNull(principal, "principal");
    }

    @Override
    public int httpStatus() {
      return 403;
    }
  }
}

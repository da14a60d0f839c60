package dev.turbocache.server.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Objects;

/** What {@link JwtVerifier} made of a bearer token. */
public sealed interface JwtVerdict {
  /** Signed by a trusted issuer's key, for this server, valid now and not revoked. */
  record Verified(TrustedIssuer issuer, JWTClaimsSet claims) implements JwtVerdict {
    public Verified {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(claims, "claims");
    }

    public String subject() {
      return claims.getSubject();
    }
  }

  /** Not checked: its signature is to be verified, and the caller did not let the check wait. */
  record Pending() implements JwtVerdict {}

  /**
   * Refused; the message is safe to send back (it never holds the token).
   *
   * @param issuer the {@code iss} the token claimed when it named a trusted one, else null
   */
  record Rejected(JwtFailure failure, String message, String issuer) implements JwtVerdict {
    public Rejected {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(message, "message");
    }
  }
}

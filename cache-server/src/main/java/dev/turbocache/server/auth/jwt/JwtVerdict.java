package dev.turbocache.server.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Objects;

/** What {@link JwtVerifier} made of a bearer token. */
public sealed interface JwtVerdict {
  /**
   * Signed by a trusted issuer's key, for this server, valid now and not revoked. What its issuer's
   * rules grant it and until when it may be used are worked out once, when it is checked, as turbo
   * sends the same token with every request of a run and the verdict is remembered.
   *
   * @param grant what the first rule of the issuer that matches the claims grants, or why none does
   * @param usableUntil its {@code exp} plus the issuer's clock skew
   */
  record Verified(TrustedIssuer issuer, JWTClaimsSet claims, AccessRule.Grant grant, Instant usableUntil)
      implements JwtVerdict {
    public Verified {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(claims, "claims");
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(usableUntil, "usableUntil");
    }

    /** @param claims with an {@code exp} (the verifier requires one) */
    public Verified(TrustedIssuer issuer, JWTClaimsSet claims) {
      this(issuer, claims, issuer.rules().evaluate(claims),
          claims.getExpirationTime().toInstant().plus(issuer.clockSkew()));
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

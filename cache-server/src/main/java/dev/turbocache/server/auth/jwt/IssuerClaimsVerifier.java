package dev.turbocache.server.auth.jwt;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.turbocache.server.config.JwtIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

/**
 * Nimbus's claims checks (exact {@code iss}, an accepted {@code aud}, {@code exp} and {@code nbf}
 * within the clock skew, {@code exp} and {@code sub} present) plus what it leaves out: an {@code
 * iat} in the future, and a lifetime longer than the issuer's {@code maxTokenLifetime}, which
 * bounds how long a leaked token is good for.
 */
final class IssuerClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
  static final String ISSUED_IN_THE_FUTURE = "JWT issued in the future";

  private final Clock clock;
  private final Duration skew;
  private final Duration maxLifetime;

  IssuerClaimsVerifier(JwtIssuer config, Clock clock) {
    super(new HashSet<>(config.audiences()),
        new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
        Set.of("exp", "sub"), null);
    setMaxClockSkew(Math.toIntExact(config.clockSkew().toSeconds()));
    this.clock = clock;
    this.skew = config.clockSkew();
    this.maxLifetime = config.maxTokenLifetime();
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    super.verify(claims, context);
    Date now = currentTime();
    Date issued = claims.getIssueTime();
    if (issued != null && issued.toInstant().isAfter(now.toInstant().plus(skew))) {
      throw new BadJWTException(ISSUED_IN_THE_FUTURE);
    }
    Date from = issued != null ? issued : now;
    Duration lifetime = Duration.between(from.toInstant(), claims.getExpirationTime().toInstant());
    if (lifetime.compareTo(maxLifetime) > 0) {
      throw new LifetimeTooLongException("the token is valid for " + lifetime.toSeconds()
          + " s; this issuer's tokens may be valid for at most " + maxLifetime.toSeconds() + " s");
    }
  }

  @Override
  protected Date currentTime() {
    return Date.from(clock.instant());
  }

  /** A token that lives longer than the issuer's tokens may. */
  static final class LifetimeTooLongException extends BadJWTException {
    LifetimeTooLongException(String message) {
      super(message);
    }
  }
}

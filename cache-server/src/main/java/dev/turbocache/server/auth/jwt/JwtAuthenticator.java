package dev.turbocache.server.auth.jwt;

import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.AuthResult;
import dev.turbocache.server.auth.Principal;
import dev.turbocache.server.auth.TokenVerifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JWT bearer tokens as principals: a verified token's subject and issuer, with the teams and
 * access of the first rule of its issuer that matches its claims. Counts every outcome by issuer
 * and result (never by subject, which would be a label per CI job).
 */
public final class JwtAuthenticator implements TokenVerifier {
  public static final String METRIC = "turbocache.auth.jwt.tokens";
  /** The issuer label of tokens that name no trusted issuer (their {@code iss} is the sender's choice). */
  static final String UNTRUSTED = "untrusted";

  private final JwtVerifier verifier;
  private final MeterRegistry meters;
  private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

  public JwtAuthenticator(JwtVerifier verifier, MeterRegistry meters) {
    this.verifier = verifier;
    this.meters = meters;
  }

  @Override
  public Optional<AuthResult> verify(String token, byte[] digest, boolean mayWait) {
    if (!JwtVerifier.looksLikeJwt(token)) {
      return Optional.empty();
    }
    return Optional.of(switch (verifier.verify(token, digest, mayWait)) {
      case JwtVerdict.Pending pending -> new AuthResult.Pending();
      case JwtVerdict.Rejected rejected -> {
        count(rejected.issuer(), rejected.failure().code());
        yield rejected.failure().httpStatus() == 503
            ? new AuthResult.Unavailable(rejected.failure().code(), rejected.message())
            : new AuthResult.Unauthenticated(rejected.failure().code(), rejected.message());
      }
      case JwtVerdict.Verified verified -> principal(verified);
    });
  }

  private AuthResult principal(JwtVerdict.Verified verified) {
    String issuer = verified.issuer().issuer();
    return switch (verified.grant()) {
      case AccessRule.Grant.Teams grant -> {
        count(issuer, "verified");
        yield new AuthResult.Allowed(
            new Principal(verified.subject(), grant.teams(), grant.access(), issuer));
      }
      case AccessRule.Grant.Refused refused -> {
        count(issuer, "no_rule");
        Principal nobody = new Principal(verified.subject(), Set.of(), AccessLevel.READ, issuer);
        yield new AuthResult.Forbidden(AuthResult.FORBIDDEN, nobody.describe() + ": " + refused.reason(), nobody);
      }
    };
  }

  private void count(String issuer, String result) {
    // Looked up per request: registering builds and sorts the meter's id every time. Both keys
    // are bounded (trusted issuers or "untrusted"; the result codes).
    counters.computeIfAbsent(new CounterKey(issuer == null ? UNTRUSTED : issuer, result), key ->
        Counter.builder(METRIC)
            .description("JWT bearer tokens checked, by issuer and result (verified, no_rule, or why refused)")
            .tag("issuer", key.issuer())
            .tag("result", key.result())
            .register(meters))
        .increment();
  }

  private record CounterKey(String issuer, String result) {}
}

package dev.turbocache.server.auth.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.turbocache.server.config.JwtIssuer;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One issuer the server trusts, ready to verify its tokens: its keys, the Nimbus processor that
 * checks signature and claims with them, and its access rules.
 */
public final class TrustedIssuer implements Closeable {
  private final JwtIssuer config;
  private final Set<JWSAlgorithm> algorithms;
  private final IssuerKeys keys;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final AccessRules rules;

  TrustedIssuer(JwtIssuer config, String setting, Clock clock) {
    this.config = config;
    this.rules = AccessRules.of(config.rules(), setting);
    this.algorithms = config.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
    this.keys = IssuerKeys.of(config, clock);
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys.source()));
    processor.setJWTClaimsSetVerifier(new IssuerClaimsVerifier(config, clock));
  }

  /** The {@code iss} its tokens carry. */
  public String issuer() {
    return config.issuer();
  }

  public IssuerHealth health() {
    return keys.health();
  }

  Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  DefaultJWTProcessor<SecurityContext> processor() {
    return processor;
  }

  AccessRules rules() {
    return rules;
  }

  /** How far past {@code exp} (and before {@code nbf}) its tokens are still accepted. */
  Duration clockSkew() {
    return config.clockSkew();
  }

  /** The longest any accepted token of this issuer can still be valid for from now. */
  Duration longestValidity() {
    return config.maxTokenLifetime().plus(config.clockSkew()).plus(config.clockSkew());
  }

  void warmUp() {
    keys.warmUp(config.issuer());
  }

  @Override
  public void close() throws IOException {
    keys.close();
  }
}

package dev.turbocache.server.auth.jwt;

import dev.turbocache.server.auth.WatchedFile;
import dev.turbocache.server.config.JwtIssuer;
import dev.turbocache.server.config.TurboCacheConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JWT authentication as configured by {@code auth.jwt}: the trusted issuers (keys fetched once at
 * startup), the revocation list, their gauges, and the threads that check tokens with no verdict
 * from the last minute ({@link #verifications()}). Closed with the server.
 */
public final class JwtSetup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JwtSetup.class);

  private final List<TrustedIssuer> issuers;
  private final RevocationList revocations;
  /** Null without {@code auth.jwt.revokedIdsFile}. */
  private final WatchedFile revokedIdsFile;
  private final JwtAuthenticator authenticator;
  private final Clock clock;
  private final ThreadPoolExecutor verifications;

  private JwtSetup(List<TrustedIssuer> issuers, RevocationList revocations, WatchedFile revokedIdsFile,
      JwtAuthenticator authenticator, Clock clock, int verificationThreads) {
    this.issuers = issuers;
    this.revocations = revocations;
    this.revokedIdsFile = revokedIdsFile;
    this.authenticator = authenticator;
    this.clock = clock;
    this.verifications = new ThreadPoolExecutor(verificationThreads, verificationThreads, 0,
        TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        Thread.ofPlatform().daemon().name("jwt-verify-", 1).factory());
  }

  /**
   * @param store where revocations are kept (Redis when there is a Redis tier, else the file)
   * @param fileReloadInterval how often {@code auth.jwt.revokedIdsFile} is checked for changes
   * @param verificationThreads how many tokens may be checked at once off the I/O threads
   */
  public static JwtSetup start(TurboCacheConfig.Jwt config, RevokedTokenStore store,
      MeterRegistry meters, Clock clock, Duration fileReloadInterval, int verificationThreads) {
    Map<String, TrustedIssuer> byIssuer = new LinkedHashMap<>();
    List<TrustedIssuer> issuers = new ArrayList<>();
    RevocationList revocations = null;
    WatchedFile revokedIdsFile = null;
    try {
      for (int i = 0; i < config.issuers().size(); i++) {
        JwtIssuer issuer = config.issuers().get(i);
        TrustedIssuer trusted = new TrustedIssuer(issuer, "auth.jwt.issuers[" + i + "]", clock);
        issuers.add(trusted);
        byIssuer.put(issuer.issuer(), trusted);
      }
      revocations = new RevocationList(store, config.revocationRefreshInterval(), clock, config.revokedIds());
      if (config.revokedIdsFile() != null) {
        revokedIdsFile = RevokedIdsFile.load(config.revokedIdsFile(), revocations, fileReloadInterval, meters);
      }
    } catch (RuntimeException e) {
      closeAll(issuers);
      if (revocations != null) {
        revocations.close();
      } else {
        store.close();
      }
      throw e;
    }
    JwtVerifier verifier = new JwtVerifier(byIssuer, config.maxTokenSize().bytes(), revocations, clock);
    JwtSetup setup = new JwtSetup(List.copyOf(issuers), revocations, revokedIdsFile,
        new JwtAuthenticator(verifier, meters), clock, verificationThreads);
    setup.register(meters);
    if (revokedIdsFile != null) {
      revokedIdsFile.start();
    }
    issuers.forEach(TrustedIssuer::warmUp);
    return setup;
  }

  public JwtAuthenticator authenticator() {
    return authenticator;
  }

  /**
   * Where tokens are checked whose signature must be verified and whose issuer's keys may have
   * to be fetched first: a pool of its own, so that neither the I/O threads nor the workers that
   * serve storage wait for an issuer. The queue is unbounded, yet holds at most one request per
   * HTTP/1.1 connection (and the streams an HTTP/2 connection may open).
   */
  public ExecutorService verifications() {
    return verifications;
  }

  public RevocationList revocations() {
    return revocations;
  }

  public List<TrustedIssuer> issuers() {
    return issuers;
  }

  /**
   * How long a revocation must be kept so that it outlives every token it can be about: the
   * longest validity any trusted issuer's tokens may have.
   */
  public Instant revocationDeadline() {
    Duration longest = issuers.stream().map(TrustedIssuer::longestValidity)
        .max(Duration::compareTo).orElse(Duration.ZERO);
    return clock.instant().plus(longest);
  }

  private void register(MeterRegistry meters) {
    for (TrustedIssuer issuer : issuers) {
      IssuerHealth health = issuer.health();
      Gauge.builder("turbocache.auth.jwt.issuer.up", health,
              h -> Boolean.TRUE.equals(h.status().reachable()) ? 1 : 0)
          .description("1 when the last fetch of the issuer's keys worked; 0 while it is unreachable "
              + "(its cached keys keep verifying tokens)")
          .tag("issuer", issuer.issuer()).register(meters);
      Gauge.builder("turbocache.auth.jwt.issuer.keys", health, h -> h.status().keys())
          .description("Keys of the issuer the server verifies with")
          .tag("issuer", issuer.issuer()).register(meters);
      Gauge.builder("turbocache.auth.jwt.issuer.keys.age", health, this::keysAge)
          .description("Seconds since the issuer's keys were last fetched (NaN: never)")
          .baseUnit("seconds")
          .tag("issuer", issuer.issuer()).register(meters);
    }
    Gauge.builder("turbocache.auth.jwt.verifications.pending", verifications,
            pool -> pool.getQueue().size() + pool.getActiveCount())
        .description("Requests whose JWT is being checked off the I/O threads or waits to be; stays "
            + "up while an issuer is slow to send its keys")
        .register(meters);
    FunctionCounter.builder("turbocache.auth.jwt.verifications", verifications,
            ThreadPoolExecutor::getCompletedTaskCount)
        .description("Requests whose JWT was checked off the I/O threads: tokens with no verdict from "
            + "the last minute")
        .register(meters);
    Gauge.builder("turbocache.auth.jwt.revoked", revocations, RevocationList::size)
        .description("Revoked token ids (jti) not yet expired").register(meters);
  }

  private double keysAge(IssuerHealth health) {
    Instant last = health.status().lastSuccess();
    return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
  }

  private static void closeAll(List<TrustedIssuer> issuers) {
    for (TrustedIssuer issuer : issuers) {
      try {
        issuer.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("closing the keys of {} failed: {}", issuer.issuer(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    if (revokedIdsFile != null) {
      revokedIdsFile.close();
    }
    verifications.shutdownNow();
    closeAll(issuers);
    revocations.close();
  }
}

package dev.turbocache.server.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.turbocache.server.auth.TokenDigest;
import java.nio.ByteBuffer;
import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a bearer token that is a JWT: its form (a signed JWT, not encrypted, not nested, not
 * unsigned, not oversized), which trusted issuer it names, then Nimbus's signature and claims
 * checks with that issuer's keys, then the revocation list. Verdicts are remembered for a
 * minute ({@link CheckedTokens}). Every refusal names its reason; none is an exception.
 */
public final class JwtVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);
  private final Map<String, TrustedIssuer> issuers;
  private final long maxTokenSize;
  private final RevocationList revocations;
  private final CheckedTokens checked;

  public JwtVerifier(Map<String, TrustedIssuer> issuers, long maxTokenSize, RevocationList revocations,
      Clock clock) {
    this.issuers = Map.copyOf(issuers);
    this.maxTokenSize = maxTokenSize;
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.checked = new CheckedTokens(clock);
  }

  /** Whether a bearer token is meant as a JWT (three or five dot-separated parts) rather than a static token. */
  public static boolean looksLikeJwt(String token) {
    return token.indexOf('.') > 0;
  }

  /**
   * @param mayWait whether a signature may be checked (and keys fetched) now; when false, a token
   *     not checked in the last minute (nor refused for its size) is {@link JwtVerdict.Pending}
   */
  public JwtVerdict verify(String token, boolean mayWait) {
    return verify(token, TokenDigest.of(token), mayWait);
  }

  /** {@link #verify(String, boolean)} with the token's SHA-256, computed once per request by the caller. */
  public JwtVerdict verify(String token, byte[] digest, boolean mayWait) {
    try {
      return check(token, digest, mayWait);
    } catch (RuntimeException e) {
      // Nimbus declares what it throws for bad input; anything else a hostile token provokes is
      // still the token's fault, and a refusal rather than a 500.
      LOG.debug("a JWT could not be checked: {}", e.toString());
      return rejected(JwtFailure.MALFORMED, "the token could not be read as a JWT", null);
    }
  }

  private JwtVerdict check(String token, byte[] digest, boolean mayWait) {
    if (token.length() > maxTokenSize) {
      return rejected(JwtFailure.TOO_LARGE, "the token is longer than " + maxTokenSize
          + " characters (auth.jwt.maxTokenSize)", null);
    }
    ByteBuffer key = CheckedTokens.key(digest);
    Optional<JwtVerdict> known = checked.get(key);
    if (known.isPresent()) {
      return known.get() instanceof JwtVerdict.Verified v ? unlessRevoked(v) : known.get();
    }
    if (!mayWait) {
      return new JwtVerdict.Pending();
    }
    JwtVerdict verdict = parseAndVerify(token);
    checked.put(key, verdict);
    return verdict instanceof JwtVerdict.Verified v ? unlessRevoked(v) : verdict;
  }

  private JwtVerdict parseAndVerify(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      return rejected(JwtFailure.MALFORMED, "not a JWT: " + e.getMessage(), null);
    }
    return switch (jwt) {
      case PlainJWT plain -> rejected(JwtFailure.UNSIGNED, "unsigned JWTs (alg none) are refused", null);
      case EncryptedJWT encrypted ->
          rejected(JwtFailure.ENCRYPTED, "encrypted JWTs (JWE) are not accepted; send a signed JWT", null);
      case SignedJWT signed -> verifySigned(signed);
      default -> rejected(JwtFailure.MALFORMED, "not a signed JWT", null);
    };
  }

  private JwtVerdict verifySigned(SignedJWT signed) {
    JOSEObjectType cty = signed.getHeader().getContentType() == null
        ? null : new JOSEObjectType(signed.getHeader().getContentType());
    if (cty != null && cty.getType().equalsIgnoreCase(JOSEObjectType.JWT.getType())) {
      return rejected(JwtFailure.NESTED, "nested JWTs (cty: JWT) are not accepted", null);
    }
    JWTClaimsSet unverified;
    try {
      unverified = signed.getJWTClaimsSet();
    } catch (ParseException e) {
      return rejected(JwtFailure.MALFORMED, "the payload is not a JSON claims set: " + e.getMessage(), null);
    }
    String iss = unverified.getIssuer();
    TrustedIssuer issuer = iss == null ? null : issuers.get(iss);
    if (issuer == null) {
      return rejected(JwtFailure.UNKNOWN_ISSUER, iss == null ? "the token has no iss claim"
          : "issuer '" + bounded(iss) + "' is not trusted (auth.jwt.issuers)", null);
    }
    if (!issuer.algorithms().contains(signed.getHeader().getAlgorithm())) {
      return rejected(JwtFailure.ALGORITHM_NOT_ALLOWED, "algorithm "
          + bounded(signed.getHeader().getAlgorithm().getName()) + " is not allowed for this issuer (allowed: "
          + issuer.algorithms().stream().map(a -> a.getName()).sorted().toList() + ")", iss);
    }
    JWTClaimsSet claims;
    try {
      claims = issuer.processor().process(signed, null);
    } catch (BadJOSEException e) {
      return rejected(classify(e), e.getMessage(), iss);
    } catch (JOSEException e) {
      if (rateLimited(e) && issuer.health().status().lastSuccess() != null) {
        // The kid is not among the keys, which were fetched again moments ago.
        return rejected(JwtFailure.UNKNOWN_KEY, "no key of issuer " + iss + " has the token's kid", iss);
      }
      return rejected(JwtFailure.KEYS_UNAVAILABLE, "the keys of issuer " + iss
          + " cannot be fetched now; try again later", iss);
    }
    return new JwtVerdict.Verified(issuer, claims);
  }

  /** Checked on every request, remembered token or not: a revocation applies at once. */
  private JwtVerdict unlessRevoked(JwtVerdict.Verified verified) {
    String jti = verified.claims().getJWTID();
    if (jti != null && revocations.isRevoked(jti)) {
      return rejected(JwtFailure.REVOKED, "the token has been revoked", verified.issuer().issuer());
    }
    return verified;
  }

  private static boolean rateLimited(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RateLimitReachedException) {
        return true;
      }
    }
    return false;
  }

  /** Nimbus says why in the exception's type or message; these are its fixed texts. */
  static JwtFailure classify(BadJOSEException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof ExpiredJWTException) {
      return JwtFailure.EXPIRED;
    }
    if (e instanceof IssuerClaimsVerifier.LifetimeTooLongException) {
      return JwtFailure.LIFETIME_TOO_LONG;
    }
    if (e instanceof BadJWTException) {
      if (message.startsWith("JWT before use time") || message.equals(IssuerClaimsVerifier.ISSUED_IN_THE_FUTURE)) {
        return JwtFailure.NOT_YET_VALID;
      }
      if (message.contains("aud claim")) {
        return JwtFailure.WRONG_AUDIENCE;
      }
      if (message.startsWith("JWT missing required claims")) {
        return JwtFailure.MISSING_CLAIM;
      }
      return JwtFailure.INVALID_CLAIMS;
    }
    if (message.contains("no matching key")) {
      return JwtFailure.UNKNOWN_KEY;
    }
    if (message.contains("Invalid signature")) {
      return JwtFailure.INVALID_SIGNATURE;
    }
    if (message.contains("typ")) {
      return JwtFailure.INVALID_HEADER;
    }
    return JwtFailure.INVALID_SIGNATURE;
  }

  private static JwtVerdict rejected(JwtFailure failure, String message, String issuer) {
    return new JwtVerdict.Rejected(failure, bounded(message), issuer);
  }

  /** Client-chosen text in a message stays short. */
  private static String bounded(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}

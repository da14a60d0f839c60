package dev.turbocache.server.auth.jwt;

/**
 * Why a bearer token that is a JWT (or tries to be one) was refused. The code goes to the client
 * as the error code and into the refusal metric, so it names the reason without showing the token.
 */
public enum JwtFailure {
  TOO_LARGE("token_too_large"),
  MALFORMED("token_malformed"),
  ENCRYPTED("token_encrypted"),
  NESTED("token_nested"),
  UNSIGNED("token_unsigned"),
  ALGORITHM_NOT_ALLOWED("algorithm_not_allowed"),
  INVALID_HEADER("invalid_header"),
  UNKNOWN_ISSUER("unknown_issuer"),
  WRONG_AUDIENCE("wrong_audience"),
  UNKNOWN_KEY("unknown_key"),
  INVALID_SIGNATURE("invalid_signature"),
  EXPIRED("token_expired"),
  NOT_YET_VALID("token_not_yet_valid"),
  LIFETIME_TOO_LONG("token_lifetime_too_long"),
  MISSING_CLAIM("missing_claim"),
  INVALID_CLAIMS("invalid_claims"),
  REVOKED("token_revoked"),
  /** The issuer's keys could not be had at all (never fetched, no cached copy): the server's problem. */
  KEYS_UNAVAILABLE("issuer_unavailable");

  private final String code;

  JwtFailure(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /**
   * Whether this server refuses the same token for this reason every time it checks it. Not so
   * for a key it does not have yet (the issuer may have just rotated its keys), a token not yet
   * valid, a revocation (checked on every request anyway), or keys that could not be fetched.
   */
  public boolean lasting() {
    return switch (this) {
      case UNKNOWN_KEY, NOT_YET_VALID, REVOKED, KEYS_UNAVAILABLE -> false;
      default -> true;
    };
  }

  /** 401, except when the server could not get the keys to check a token with (503). */
  public int httpStatus() {
    return this == KEYS_UNAVAILABLE ? 503 : 401;
  }
}

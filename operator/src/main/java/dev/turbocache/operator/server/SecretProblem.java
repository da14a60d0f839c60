package dev.turbocache.operator.server;

/** Why a Secret the TurboCache references cannot be used, and the sentence that tells the user. */
public record SecretProblem(Kind kind, String message) {
  public enum Kind {
    /** The spec field naming the Secret is empty. */
    UNSET,
    /** No Secret of that name in the TurboCache's namespace. */
    NOT_FOUND,
    /** The Secret exists but lacks the key. */
    KEY_MISSING
  }
}

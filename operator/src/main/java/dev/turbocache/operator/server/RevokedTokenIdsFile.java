package dev.turbocache.operator.server;

import dev.turbocache.operator.model.ResolvedSpec;

/**
 * The server's {@code auth.jwt.revokedIdsFile} from {@code spec.auth.jwt.revokedTokenIds}: one id
 * per line. It lives in the server ConfigMap beside config.yaml but is left out of the pods' config
 * checksum, because the server reads it again when it changes: a revocation reaches the running pods
 * without a roll.
 */
final class RevokedTokenIdsFile {
  private static final String HEADER =
      "# Token ids (jti) refused by every cache server, one per line: spec.auth.jwt.revokedTokenIds.\n";

  private RevokedTokenIdsFile() {}

  /** Whether the pods get the file: only when JWTs are accepted at all. */
  static boolean rendered(ResolvedSpec s) {
    return !s.jwtIssuers().isEmpty();
  }

  /** The file's text; deterministic for equal input. */
  static String render(ResolvedSpec s) {
    StringBuilder text = new StringBuilder(HEADER);
    s.jwtRevokedTokenIds().forEach(id -> text.append(id).append('\n'));
    return text.toString();
  }
}

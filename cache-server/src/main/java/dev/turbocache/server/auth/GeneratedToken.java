package dev.turbocache.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token used when no tokens file is configured, so that a server started with no configuration
 * is still not open to anyone who can reach it. It lives in {@code <dataDir>/token} and survives
 * restarts, so the {@code TURBO_TOKEN} line printed at startup stays valid.
 */
public final class GeneratedToken {
  public static final String FILE_NAME = "token";
  /** Name of the generated token in logs and metrics. */
  public static final String NAME = "local";

  private static final int RANDOM_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger log = LoggerFactory.getLogger(GeneratedToken.class);

  private GeneratedToken() {}

  /**
   * Reads {@code <dataDir>/token}, creating it with a new random token (owner-only permissions
   * where the file system has POSIX permissions) when it does not exist.
   *
   * @return the token
   */
  public static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return readExisting(file);
      }
      Files.createDirectories(dataDir);
      boolean posix = Files.getFileStore(dataDir).supportsFileAttributeView("posix");
      FileAttribute<?>[] attrs =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
              : new FileAttribute<?>[0];
      String token = newToken();
      // Written to a temporary file and moved into place so that the token file is never seen
      // half-written; the move fails rather than replaces if another process got there first.
      Path tmp = Files.createTempFile(dataDir, ".token-", ".tmp", attrs);
      try {
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file);
      } catch (FileAlreadyExistsException e) {
        return readExisting(file);
      } finally {
        Files.deleteIfExists(tmp);
      }
      log.info("generated a token into {}", file);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the token file " + file, e);
    }
  }

  /** The single admin token a zero-config server accepts: named "local", every team. */
  public static TokenSet tokenSet(String token) {
    return TokenSet.of(
        new TokenEntry(NAME, TokenDigest.of(token), Set.of(Principal.ANY_TEAM), AccessLevel.ADMIN));
  }

  private static String readExisting(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty() || token.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
      throw new IllegalStateException(
          "token file " + file + " does not hold a single token; delete it to generate a new one");
    }
    warnIfReadableByOthers(file);
    return token;
  }

  private static void warnIfReadableByOthers(Path file) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(perms)) {
      log.warn("token file {} is accessible to other users ({}); consider chmod 600", file,
          PosixFilePermissions.toString(perms));
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

package dev.turbocache.server.auth.jwt;

import dev.turbocache.server.auth.WatchedFile;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.TurboCacheConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The file of revoked token ids ({@code auth.jwt.revokedIdsFile}): one id ({@code jti}) per line,
 * blank lines and lines starting with {@code #} ignored. Read at startup (a missing or invalid file
 * stops the start) and again whenever it changes, so a mounted ConfigMap can revoke tokens on
 * running servers. A version that cannot be used keeps the ids read before: a bad edit never
 * brings a revoked token back.
 */
public final class RevokedIdsFile {
  public static final String RELOADS_METRIC = "turbocache.auth.jwt.revoked.ids.file.reloads";
  private static final String KIND = "revoked token ids file";

  private RevokedIdsFile() {}

  /**
   * Reads the file into {@code revocations} and returns the watcher that keeps it in step (not yet
   * started).
   *
   * @throws ConfigException when the file is missing, unreadable or invalid
   */
  static WatchedFile load(Path file, RevocationList revocations, Duration reloadInterval, MeterRegistry meters) {
    byte[] content = read(file);
    revocations.replaceListedInFile(parse(content, file.toString()));
    WatchedFile.Target target = new WatchedFile.Target() {
      @Override
      public String install(byte[] next) {
        Set<String> ids = parse(next, file.toString());
        revocations.replaceListedInFile(ids);
        return ids.size() + " id(s)";
      }

      @Override
      public String kept() {
        return "the " + revocations.listedInFile() + " id(s) read before";
      }
    };
    return new WatchedFile(KIND, file, content, reloadInterval, target,
        reloads(meters, "success"), reloads(meters, "failure")).gaugeStale(meters, "revoked-token-ids");
  }

  /** The file's bytes, or ConfigException naming the setting when it is missing or unreadable. */
  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("auth.jwt.revokedIdsFile: " + KIND + " " + file + " not found");
    } catch (IOException e) {
      throw new ConfigException("auth.jwt.revokedIdsFile: " + KIND + " " + file + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * @throws ConfigException naming the first bad line: not UTF-8, or an id longer than {@value
   *     TurboCacheConfig.Jwt#MAX_TOKEN_ID_LENGTH} characters
   */
  public static Set<String> parse(byte[] content, String origin) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(KIND + " " + origin + ": is not UTF-8 text");
    }
    Set<String> ids = new LinkedHashSet<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String id = lines[i].strip();
      if (id.isEmpty() || id.startsWith("#")) {
        continue;
      }
      if (id.length() > TurboCacheConfig.Jwt.MAX_TOKEN_ID_LENGTH) {
        throw new ConfigException(KIND + " " + origin + ": line " + (i + 1) + " is " + id.length()
            + " characters long; a token id (jti) has at most " + TurboCacheConfig.Jwt.MAX_TOKEN_ID_LENGTH);
      }
      ids.add(id);
    }
    return ids;
  }

  private static Counter reloads(MeterRegistry meters, String result) {
    return Counter.builder(RELOADS_METRIC)
        .description("Reloads of auth.jwt.revokedIdsFile after a change, by outcome (a failed reload keeps "
            + "the ids read before)")
        .tag("result", result)
        .register(meters);
  }
}

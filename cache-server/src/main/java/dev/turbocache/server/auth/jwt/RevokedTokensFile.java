package dev.turbocache.server.auth.jwt;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Revoked token ids of a server without Redis: in memory, and in a JSON file (id to expiry, epoch
 * seconds) that a restart reads back. The file is replaced whole on every change, by a rename,
 * so a crash leaves the old list or the new one.
 */
public final class RevokedTokensFile implements RevokedTokenStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Long>> SHAPE = new TypeReference<>() {};

  private final Path file;
  private final Clock clock;
  /** Guarded by this. */
  private final Map<String, Instant> revoked = new TreeMap<>();

  public RevokedTokensFile(Path file, Clock clock) throws IOException {
    this.file = file;
    this.clock = clock;
    if (Files.exists(file)) {
      JSON.readValue(file.toFile(), SHAPE).forEach((jti, until) -> revoked.put(jti, Instant.ofEpochSecond(until)));
    }
  }

  @Override
  public synchronized void add(String jti, Instant until) throws IOException {
    revoked.merge(jti, until, (a, b) -> a.isAfter(b) ? a : b);
    revoked.values().removeIf(clock.instant()::isAfter);
    Map<String, Long> out = new TreeMap<>();
    revoked.forEach((id, at) -> out.put(id, at.getEpochSecond()));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), out);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public synchronized Map<String, Instant> load() {
    Instant now = clock.instant();
    Map<String, Instant> live = new TreeMap<>(revoked);
    live.values().removeIf(now::isAfter);
    return live;
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public void close() {}
}

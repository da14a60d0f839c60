package dev.turbocache.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over the inputs that must roll the cache-server pods when they change. */
public final class Checksums {
  private Checksums() {}

  /**
   * @param config the rendered config.yaml
   * @param tokens the tokens file content as stored in the Secret (base64), or null when missing
   */
  public static String of(String config, String tokens) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(config.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update((tokens == null ? "<missing>" : tokens).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

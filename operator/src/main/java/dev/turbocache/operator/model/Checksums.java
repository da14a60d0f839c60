package dev.turbocache.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over the inputs that must roll the cache-server pods when they change. */
public final class Checksums {
  private Checksums() {}

  /**
   * @param config the rendered config.yaml
   * @param secrets values of the referenced Secret keys as stored (base64), in a fixed order, null when missing
   */
  public static String of(String config, List<String> secrets) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(config.getBytes(StandardCharsets.UTF_8));
      for (String value : secrets) {
        digest.update((byte) 0);
        digest.update((value == null ? "<missing>" : value).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

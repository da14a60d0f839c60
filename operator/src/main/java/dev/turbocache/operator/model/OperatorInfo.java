package dev.turbocache.operator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Build facts of this operator: its version decides the default cache-server image. */
public final class OperatorInfo {
  public static final String IMAGE_REPOSITORY = "ghcr.io/turbocache/cache-server";
  private static final String VERSION = loadVersion();

  private OperatorInfo() {}

  public static String version() {
    return VERSION;
  }

  public static String defaultImage() {
    return IMAGE_REPOSITORY + ":" + VERSION;
  }

  private static String loadVersion() {
    try (InputStream in = OperatorInfo.class.getResourceAsStream("/turbocache-operator.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      String v = p.getProperty("version", "latest");
      return v.startsWith("${") ? "latest" : v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

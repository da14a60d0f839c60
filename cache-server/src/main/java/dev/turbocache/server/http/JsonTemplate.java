package dev.turbocache.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A JSON answer that differs from request to request in one string only, encoded once around a
 * placeholder: filling the string in is then a copy, not a serialization, and the bytes are the
 * ones the encoder writes. Only for strings JSON never escapes (hashes, team names, artifact
 * paths), which {@link #fill} checks.
 */
public final class JsonTemplate {
  /** Stands for the string in the encoded template; JSON does not escape it. */
  private static final String MARK = "json-template-mark-7f3a";

  private final byte[] before;
  private final byte[] after;

  /** @param encode the JSON bytes of the answer for a given string */
  public JsonTemplate(Function<String, byte[]> encode) {
    byte[] template = encode.apply(MARK);
    String text = new String(template, StandardCharsets.UTF_8);
    int at = text.indexOf(MARK);
    // Characters and bytes line up only while what comes before the mark is ASCII.
    if (at < 0 || text.indexOf(MARK, at + 1) >= 0
        || !text.substring(0, at).chars().allMatch(c -> c < 0x80)) {
      throw new IllegalArgumentException("the template must hold the string once, after ASCII only");
    }
    this.before = Arrays.copyOfRange(template, 0, at);
    this.after = Arrays.copyOfRange(template, at + MARK.length(), template.length);
  }

  /** The answer for {@code text}: letters, digits and {@code . _ - /} only. */
  public byte[] fill(String text) {
    byte[] out = new byte[before.length + text.length() + after.length];
    System.arraycopy(before, 0, out, 0, before.length);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-' || c == '/')) {
        throw new IllegalArgumentException("not a string JSON leaves as it is");
      }
      out[before.length + i] = (byte) c;
    }
    System.arraycopy(after, 0, out, before.length + text.length(), after.length);
    return out;
  }
}

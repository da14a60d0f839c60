package dev.turbocache.server.auth.jwt;

import java.util.regex.Pattern;

/**
 * What one claim value must be: exactly a string, or a glob where {@code *} stands for any run of
 * characters (slashes included) and {@code ?} for one. Numbers and booleans in the config compare
 * as their text, as claims do.
 */
record ClaimPattern(String text, Pattern glob) {

  static ClaimPattern of(Object configured) {
    String text = String.valueOf(configured);
    if (text.indexOf('*') < 0 && text.indexOf('?') < 0) {
      return new ClaimPattern(text, null);
    }
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return new ClaimPattern(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  boolean matches(String value) {
    return glob == null ? text.equals(value) : glob.matcher(value).matches();
  }
}

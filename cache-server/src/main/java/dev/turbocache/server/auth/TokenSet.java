package dev.turbocache.server.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable generation of tokens. The registry swaps whole sets, so a request sees either the
 * old tokens or the new ones, never a mix.
 */
public record TokenSet(List<TokenEntry> entries) {
  public static final TokenSet EMPTY = new TokenSet(List.of());

  public TokenSet {
    entries = List.copyOf(entries);
    Set<String> names = new HashSet<>();
    for (TokenEntry entry : entries) {
      // Names identify tokens in logs and metrics; two tokens with one name would be
      // indistinguishable there.
      if (!names.add(entry.name())) {
        throw new IllegalArgumentException("duplicate token name '" + entry.name() + "'");
      }
    }
  }

  public static TokenSet of(TokenEntry... entries) {
    return new TokenSet(List.of(entries));
  }

  public int size() {
    return entries.size();
  }
}

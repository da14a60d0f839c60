package dev.turbocache.server.auth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.turbocache.server.artifact.Team;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the tokens file ({@code auth.tokensFile}), usually a Kubernetes Secret mounted as a file:
 *
 * <pre>{@code
 * tokens:
 *   - name: ci                 # shown in logs and metrics, never the secret
 *     token: "s3cr3t..."       # the bearer token in plain text, OR
 *     sha256: "<64 hex chars>" # the SHA-256 digest of the token (hex), so the file holds no secret
 *     teams: ["acme", "web"]   # teams this token may use; "*" means any team
 *     access: readwrite        # read | readwrite | admin
 * }</pre>
 *
 * <p>Rules: each entry has exactly one of {@code token} and {@code sha256}; names are unique (and
 * {@code anonymous} is reserved); {@code teams} is a non-empty list whose items are {@code "*"} or
 * valid team names ({@link Team#NAME}); unknown keys are errors, so a typo such as {@code
 * acess} cannot silently produce a token with a default. An empty file is an error (it is more
 * likely a half-written Secret than a wish to lock everybody out); {@code tokens: []} is allowed.
 *
 * <p>All problems are reported at once, each naming the entry by index and name. Messages never
 * contain the value of {@code token} or {@code sha256}.
 */
public final class TokensFile {
  /** Token names end up in log lines and metric tags, so they are kept to a safe alphabet. */
  public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$");

  private static final Set<String> ENTRY_KEYS =
      Set.of("name", "token", "sha256", "teams", "access");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              // Otherwise a repeated key silently wins, e.g. a second 'access' widening a token.
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              // Parser error messages would otherwise quote the file, secrets included.
              .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
              .build());

  private TokensFile() {}

  /** Reads and parses {@code file}; a missing or unreadable file is reported like a bad one. */
  public static TokenSet read(Path file) {
    return parse(readBytes(file), file.toString());
  }

  /** The file's bytes; a missing or unreadable file is reported like a bad one. */
  public static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidTokensFileException(file.toString(), List.of("file not found"));
    } catch (IOException e) {
      throw new InvalidTokensFileException(
          file.toString(), List.of("cannot be read (" + e.getClass().getSimpleName() + ")"));
    }
  }

  /**
   * @param content the file's bytes (UTF-8 YAML)
   * @param origin where it came from, for messages
   * @throws InvalidTokensFileException listing every problem found
   */
  public static TokenSet parse(byte[] content, String origin) {
    JsonNode root;
    try {
      root = YAML.readTree(content);
    } catch (JacksonException e) {
      throw new InvalidTokensFileException(origin, List.of(describeSyntaxError(e)));
    } catch (IOException e) {
      throw new InvalidTokensFileException(origin, List.of("is not readable as UTF-8 YAML"));
    }
    List<String> problems = new ArrayList<>();
    List<TokenEntry> entries = parseRoot(root, problems);
    if (!problems.isEmpty()) {
      throw new InvalidTokensFileException(origin, problems);
    }
    return new TokenSet(entries);
  }

  /** Convenience for tests and tools. */
  public static TokenSet parse(String yaml, String origin) {
    return parse(yaml.getBytes(StandardCharsets.UTF_8), origin);
  }

  private static String describeSyntaxError(JacksonException e) {
    String original = e.getOriginalMessage();
    // Jackson's own duplicate-key message only names the key, which is safe to show.
    String what =
        original != null && original.startsWith("Duplicate field")
            ? "duplicate key " + original.substring("Duplicate field ".length())
            : "is not valid YAML";
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      return what + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
    return what;
  }

  private static List<TokenEntry> parseRoot(JsonNode root, List<String> problems) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      problems.add("is empty; expected a 'tokens' list");
      return List.of();
    }
    if (!root.isObject()) {
      problems.add("must be a mapping with a 'tokens' list");
      return List.of();
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("tokens")) {
        problems.add("unknown top-level key '" + shorten(key) + "' (only 'tokens' is allowed)");
      }
    }
    JsonNode tokens = root.get("tokens");
    if (tokens == null) {
      problems.add("has no 'tokens' list");
      return List.of();
    }
    if (!tokens.isArray()) {
      problems.add("'tokens' must be a list of entries");
      return List.of();
    }
    List<TokenEntry> entries = new ArrayList<>();
    Map<String, Integer> indexByName = new HashMap<>();
    List<Integer> indexOfEntry = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Optional<TokenEntry> entry = parseEntry(i, tokens.get(i), problems);
      if (entry.isEmpty()) {
        continue;
      }
      TokenEntry e = entry.get();
      Integer previous = indexByName.putIfAbsent(e.name(), i);
      if (previous != null) {
        problems.add(label(i, e.name()) + ": name already used by tokens[" + previous + "]");
        continue;
      }
      for (int j = 0; j < entries.size(); j++) {
        if (entries.get(j).sameTokenAs(e)) {
          // Two names for one secret would make the caller's identity ambiguous.
          problems.add(
              label(i, e.name())
                  + ": same token as "
                  + label(indexOfEntry.get(j), entries.get(j).name()));
        }
      }
      entries.add(e);
      indexOfEntry.add(i);
    }
    return entries;
  }

  private static Optional<TokenEntry> parseEntry(int index, JsonNode node, List<String> problems) {
    if (!node.isObject()) {
      problems.add(
          label(index, null) + ": must be a mapping with name, token or sha256, teams, access");
      return Optional.empty();
    }
    JsonNode nameNode = node.get("name");
    String name = nameNode != null && nameNode.isTextual() ? nameNode.textValue() : null;
    String label = label(index, name != null && NAME.matcher(name).matches() ? name : null);
    int before = problems.size();

    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!ENTRY_KEYS.contains(key)) {
        problems.add(
            label + ": unknown key '" + shorten(key)
                + "' (allowed: name, token, sha256, teams, access)");
      }
    }

    if (nameNode == null) {
      problems.add(label + ": 'name' is missing");
    } else if (name == null) {
      problems.add(label + ": 'name' must be a string");
    } else if (!NAME.matcher(name).matches()) {
      problems.add(
          label + ": name '" + shorten(name) + "' is not valid (letters, digits, '_', '.', '@',"
              + " '-'; starting with a letter or digit; at most 64 characters)");
    } else if (name.equals(Principal.ANONYMOUS.name())) {
      problems.add(label + ": name 'anonymous' is reserved for requests without a token");
    }

    byte[] digest = parseSecret(label, node, problems);
    Set<String> teams = parseTeams(label, node.get("teams"), problems);
    AccessLevel access = parseAccess(label, node.get("access"), problems);

    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new TokenEntry(name, digest, teams, access));
  }

  /** The digest from either field. Never puts the field's value into a message. */
  private static byte[] parseSecret(String label, JsonNode node, List<String> problems) {
    JsonNode token = node.get("token");
    JsonNode sha256 = node.get("sha256");
    if (token != null && sha256 != null) {
      problems.add(label + ": has both 'token' and 'sha256'; give exactly one");
      return null;
    }
    if (token == null && sha256 == null) {
      problems.add(label + ": has neither 'token' nor 'sha256'; give exactly one");
      return null;
    }
    if (token != null) {
      if (!token.isTextual()) {
        // An unquoted number would be read as a number and could lose leading zeros or digits.
        problems.add(label + ": 'token' must be a quoted string");
        return null;
      }
      String value = token.textValue();
      if (value.isEmpty()) {
        problems.add(label + ": 'token' is empty");
        return null;
      }
      if (!isHeaderSafe(value)) {
        problems.add(
            label + ": 'token' contains whitespace or control characters, which cannot be sent"
                + " in an Authorization header");
        return null;
      }
      return TokenDigest.of(value);
    }
    Optional<byte[]> digest =
        sha256.isTextual() ? TokenDigest.parseHex(sha256.textValue()) : Optional.empty();
    if (digest.isEmpty()) {
      problems.add(
          label + ": 'sha256' must be 64 hex characters (the SHA-256 digest of the token)");
      return null;
    }
    return digest.get();
  }

  private static Set<String> parseTeams(String label, JsonNode teams, List<String> problems) {
    if (teams == null) {
      problems.add(label + ": 'teams' is missing; list the teams this token may use, or \"*\"");
      return Set.of();
    }
    if (!teams.isArray()) {
      problems.add(label + ": 'teams' must be a list such as [\"acme\"] or [\"*\"]");
      return Set.of();
    }
    if (teams.isEmpty()) {
      problems.add(label + ": 'teams' is empty; list the teams this token may use, or \"*\"");
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int j = 0; j < teams.size(); j++) {
      JsonNode team = teams.get(j);
      if (!team.isTextual()) {
        problems.add(label + ": teams[" + j + "] must be a string");
      } else if (!team.textValue().equals(Principal.ANY_TEAM)
          && !Team.isValid(team.textValue())) {
        problems.add(
            label + ": team '" + shorten(team.textValue()) + "' is not valid (letters, digits,"
                + " '_', '.', '-', starting with a letter or digit, at most 64; or \"*\")");
      } else {
        out.add(team.textValue());
      }
    }
    return out;
  }

  private static AccessLevel parseAccess(String label, JsonNode access, List<String> problems) {
    if (access == null) {
      problems.add(label + ": 'access' is missing (" + AccessLevel.allNames() + ")");
      return null;
    }
    Optional<AccessLevel> level =
        access.isTextual() ? AccessLevel.fromConfigName(access.textValue()) : Optional.empty();
    if (level.isEmpty()) {
      problems.add(
          label + ": access '" + shorten(access.asText()) + "' is not one of "
              + AccessLevel.allNames());
      return null;
    }
    return level.get();
  }

  private static boolean isHeaderSafe(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  private static String label(int index, String name) {
    return name == null ? "tokens[" + index + "]" : "tokens[" + index + "] '" + name + "'";
  }

  /** Non-secret values are echoed, but bounded so a mistake cannot flood the log. */
  private static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}

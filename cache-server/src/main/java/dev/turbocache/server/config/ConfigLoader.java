package dev.turbocache.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link TurboCacheConfig} from three layers: built-in defaults, an optional YAML file,
 * then {@code TURBOCACHE_*} environment variables. The defaults tree is also the list of known
 * settings, so a typo in the file or in a variable name is an error rather than silently ignored.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "TURBOCACHE_";
  /** Names the config file; not itself a setting. */
  public static final String CONFIG_FILE_ENV = "TURBOCACHE_CONFIG";

  /** The config file to load: {@code given} (a --config option), else $TURBOCACHE_CONFIG, else none (null). */
  public static Path configFile(Path given, Map<String, String> env) {
    String fromEnv = env.get(CONFIG_FILE_ENV);
    return given != null || fromEnv == null ? given : Path.of(fromEnv);
  }

  private static final String DEFAULTS = "/turbocache-defaults.yaml";

  private final ObjectMapper yaml;

  public ConfigLoader() {
    yaml = new ObjectMapper(new YAMLFactory());
    yaml.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    // A port or a count of 1.5 is a mistake to report, not a value to round down.
    yaml.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
    SimpleModule module = new SimpleModule("turbocache-config");
    module.addDeserializer(Duration.class, new DurationDeserializer());
    yaml.registerModule(module);
  }

  /** Defaults only. */
  public TurboCacheConfig defaults() {
    return load(null, Map.of());
  }

  /**
   * @param file YAML file, or null for none
   * @param env environment variables (only {@code TURBOCACHE_*} ones are looked at)
   */
  public TurboCacheConfig load(Path file, Map<String, String> env) {
    ObjectNode tree = defaultsTree();
    if (file != null) {
      mergeFile(tree, file);
    }
    applyEnv(tree, env);
    blankToNull(tree);
    try {
      TurboCacheConfig config = yaml.treeToValue(tree, TurboCacheConfig.class);
      ConfigValidator.validate(config);
      return config;
    } catch (JsonMappingException e) {
      throw new ConfigException(BindingError.describe(e, tree), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid configuration: " + rootMessage(e), e);
    }
  }

  /** Every setting as {@code dotted.path -> default}, in file order. Used for docs and checks. */
  public Map<String, String> settings() {
    return flatten(defaultsTree());
  }

  /**
   * A config tree as {@code dotted.path -> value} (lists comma-joined, null kept as null): the
   * shape settings and their environment overrides are named in.
   */
  public static Map<String, String> flatten(JsonNode tree) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten(tree, "", out);
    return out;
  }

  /** {@code storage.memory.maxSize} to {@code TURBOCACHE_STORAGE_MEMORY_MAX_SIZE}. */
  public static String envName(String path) {
    StringBuilder sb = new StringBuilder(ENV_PREFIX);
    for (char c : path.toCharArray()) {
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  private ObjectNode defaultsTree() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      return (ObjectNode) yaml.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in defaults unreadable", e);
    }
  }

  private void mergeFile(ObjectNode tree, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file not found: " + file);
    }
    JsonNode user;
    try {
      user = yaml.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage(), e);
    }
    if (user == null || user.isMissingNode() || user.isNull()) {
      return;
    }
    if (!user.isObject()) {
      throw new ConfigException("config file " + file + " must hold a YAML mapping");
    }
    merge(tree, (ObjectNode) user, "", file.toString());
  }

  private static void merge(ObjectNode target, ObjectNode source, String prefix, String origin) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String path = prefix + field.getKey();
      JsonNode existing = target.get(field.getKey());
      if (existing == null) {
        throw UnknownSetting.inFile(path, origin, target);
      }
      if (existing.isObject()) {
        if (!field.getValue().isObject()) {
          throw new ConfigException("setting '" + path + "' in " + origin + " must be a mapping");
        }
        merge((ObjectNode) existing, (ObjectNode) field.getValue(), path + ".", origin);
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private void applyEnv(ObjectNode tree, Map<String, String> env) {
    Map<String, String> known = new TreeMap<>();
    for (String path : settings().keySet()) {
      known.put(envName(path), path);
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.equals(CONFIG_FILE_ENV)) {
        continue;
      }
      String path = known.get(name);
      if (path == null) {
        throw UnknownSetting.inEnvironment(name, known.keySet());
      }
      set(tree, path, e.getValue());
    }
  }

  private void set(ObjectNode tree, String path, String value) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = (ObjectNode) node.get(parts[i]);
    }
    String leaf = parts[parts.length - 1];
    if (node.get(leaf).isArray() && value.strip().startsWith("[")) {
      // A list of mappings (auth.jwt.issuers) cannot be comma-separated: it comes as YAML/JSON.
      node.set(leaf, parseList(path, value));
    } else if (node.get(leaf).isArray()) {
      ArrayNode list = node.putArray(leaf);
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
    } else {
      // Jackson coerces text to numbers and booleans when binding.
      node.set(leaf, TextNode.valueOf(value));
    }
  }

  private JsonNode parseList(String path, String value) {
    try {
      return yaml.readTree(value);
    } catch (JsonProcessingException e) {
      throw new ConfigException(envName(path) + " is not a valid YAML list: " + e.getOriginalMessage()
          .lines().findFirst().orElse(""));
    }
  }

  private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
      if (f.getValue().isObject()) {
        flatten(f.getValue(), path, out);
      } else if (f.getValue().isArray()) {
        List<String> items = new ArrayList<>();
        f.getValue().forEach(v -> items.add(v.asText()));
        out.put(path, String.join(",", items));
      } else {
        out.put(path, f.getValue().isNull() ? null : f.getValue().asText());
      }
    }
  }

  /** Empty strings mean "not set": optional paths and URLs become null. */
  private static void blankToNull(ObjectNode node) {
    List<String> blank = new ArrayList<>();
    node.fields().forEachRemaining(f -> {
      if (f.getValue().isObject()) {
        blankToNull((ObjectNode) f.getValue());
      } else if (f.getValue().isArray()) {
        f.getValue().forEach(item -> {
          if (item.isObject()) {
            blankToNull((ObjectNode) item);
          }
        });
      } else if (f.getValue().isTextual() && f.getValue().asText().isBlank()) {
        blank.add(f.getKey());
      }
    });
    blank.forEach(k -> node.set(k, JsonNodeFactory.instance.nullNode()));
  }

  /** The message of the innermost cause: the one that says what was wrong. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static final class DurationDeserializer extends StdDeserializer<Duration> {
    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken().isNumeric()) {
        return Duration.ofSeconds(p.getLongValue());
      }
      return DurationParser.parse(p.getValueAsString().toLowerCase(Locale.ROOT));
    }
  }
}

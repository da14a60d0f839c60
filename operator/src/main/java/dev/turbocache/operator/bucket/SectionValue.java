package dev.turbocache.operator.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The value of one {@link BucketSection}, normalized when it is built so that {@code equals} is the
 * semantic comparison: what S3 hands back for a configuration the operator wrote equals what it
 * wrote, whatever the order, spelling or layout S3 chose.
 */
public sealed interface SectionValue {

  BucketSection section();

  record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy,
      boolean restrictPublicBuckets) implements SectionValue {
    @Override
    public BucketSection section() {
      return BucketSection.PUBLIC_ACCESS_BLOCK;
    }
  }

  /**
   * @param algorithm {@code AES256} or {@code aws:kms}
   * @param kmsKeyId null unless aws:kms with a key
   * @param bucketKey S3 Bucket Keys (fewer KMS calls); always off for AES256, where S3 ignores it
   */
  record Encryption(String algorithm, String kmsKeyId, boolean bucketKey) implements SectionValue {
    public Encryption {
      bucketKey = bucketKey && "aws:kms".equals(algorithm);
    }

    @Override
    public BucketSection section() {
      return BucketSection.ENCRYPTION;
    }
  }

  /** The rules as a set: their order in the configuration means nothing. */
  record Lifecycle(Set<Rule> rules) implements SectionValue {
    public Lifecycle {
      rules = Set.copyOf(rules);
    }

    @Override
    public BucketSection section() {
      return BucketSection.LIFECYCLE;
    }

    /**
     * One enabled or disabled rule on a key prefix ({@code Filter.Prefix} and the legacy top-level
     * {@code Prefix} are the same thing).
     *
     * @param expirationDays null: the rule expires nothing
     * @param abortIncompleteUploadDays null: the rule aborts no multipart upload
     * @param more the rule also does or filters on something else (tags, sizes, transitions,
     *     versions): never one of the operator's rules
     */
    public record Rule(String id, boolean enabled, String prefix, Integer expirationDays,
        Integer abortIncompleteUploadDays, boolean more) {
      public Rule {
        prefix = prefix == null ? "" : prefix;
      }
    }
  }

  record Tags(Map<String, String> tags) implements SectionValue {
    public Tags {
      tags = Map.copyOf(tags);
    }

    @Override
    public BucketSection section() {
      return BucketSection.TAGGING;
    }
  }

  /**
   * A policy document in canonical form: object keys in any order, whitespace, a single string or a
   * one-element list of strings (IAM reads both the same), the order of statements and of the
   * values of a list: none of it is a difference.
   */
  record Policy(JsonNode canonical) implements SectionValue {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Policy parse(String json) {
      try {
        return new Policy(canonical(JSON.readTree(json)));
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON policy document", e);
      }
    }

    /** The policy as S3 takes it (compact JSON). */
    public String json() {
      return canonical.toString();
    }

    @Override
    public BucketSection section() {
      return BucketSection.POLICY;
    }

    private static JsonNode canonical(JsonNode node) {
      if (node.isObject()) {
        ObjectNode sorted = JsonNodeFactory.instance.objectNode();
        Map<String, JsonNode> fields = new TreeMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), canonical(e.getValue())));
        fields.forEach(sorted::set);
        return sorted;
      }
      if (node.isArray()) {
        List<JsonNode> items = new ArrayList<>();
        node.forEach(item -> items.add(canonical(item)));
        if (items.size() == 1 && items.get(0).isTextual()) {
          return items.get(0);
        }
        items.sort(Comparator.comparing(JsonNode::toString));
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        items.forEach(array::add);
        return array;
      }
      return node;
    }
  }
}

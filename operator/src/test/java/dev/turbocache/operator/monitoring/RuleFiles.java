package dev.turbocache.operator.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What prometheus-operator does with a PrometheusRule, for a Prometheus without it: the rule file is
 * the PrometheusRule's {@code spec} ({@code groups:}) as it is.
 */
public final class RuleFiles {
  static final ObjectMapper YAML = new YAMLMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private RuleFiles() {}

  public static String ruleFile(PrometheusRule rule) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = YAML.convertValue(rule.getSpec(), Map.class);
      return YAML.writeValueAsString(spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

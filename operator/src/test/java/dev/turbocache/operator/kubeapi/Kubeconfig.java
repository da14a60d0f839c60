package dev.turbocache.operator.kubeapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/** A kubeconfig file for a process that should act as {@link OperatorIdentity} (bearer token, no client certificate). */
public final class Kubeconfig {
  private Kubeconfig() {}

  /**
   * @param namespace the context's namespace, or null for a context without one
   */
  public static Path write(OperatorIdentity identity, String namespace) {
    Map<String, Object> context = namespace == null
        ? Map.of("cluster", "test", "user", identity.serviceAccount())
        : Map.of("cluster", "test", "user", identity.serviceAccount(), "namespace", namespace);
    Map<String, Object> kubeconfig = Map.of(
        "apiVersion", "v1",
        "kind", "Config",
        "clusters", List.of(Map.of("name", "test", "cluster", Map.of(
            "server", identity.config().getMasterUrl(),
            "certificate-authority-data", identity.config().getCaCertData()))),
        "users", List.of(Map.of("name", identity.serviceAccount(), "user", Map.of("token", identity.token()))),
        "contexts", List.of(Map.of("name", "operator", "context", context)),
        "current-context", "operator");
    try {
      Path file = Files.createTempFile("operator-", ".kubeconfig", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, new YAMLMapper().writeValueAsString(kubeconfig));
      return file;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

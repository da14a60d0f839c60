package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import dev.turbocache.operator.model.ResolvedSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ConfigMap holding the cache-server config.yaml and, when JWTs are accepted, the revoked token ids
 * ({@link RevokedTokenIdsFile}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerConfigMap extends TurboCacheDependent<ConfigMap> {

  public ServerConfigMap() {
    super(ConfigMap.class, Names::serverConfig, ServerConfigMap::desired);
  }

  public static ConfigMap desired(TurboCache cr) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(ServerConfig.CONFIG_FILE_NAME, ServerConfig.render(cr));
    if (RevokedTokenIdsFile.rendered(s)) {
      data.put(ServerConfig.REVOKED_IDS_FILE_NAME, RevokedTokenIdsFile.render(s));
    }
    return new ConfigMapBuilder()
        .withMetadata(metadata(cr, Names.serverConfig(cr), Labels.Component.CACHE_SERVER))
        .withData(data)
        .build();
  }
}

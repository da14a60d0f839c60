package dev.turbocache.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A self-hosted Turborepo remote cache: one TurboCache becomes a running cache-server service.
 * {@code kubectl get tc} shows whether it serves, why not (the Ready condition's reason), where, and
 * how many servers are available.
 */
@Group(TurboCache.GROUP)
@Version(value = TurboCache.VERSION, storage = true, served = true)
@Kind("TurboCache")
@Plural("turbocaches")
@Singular("turbocache")
@ShortNames("tc")
// The CRD generator orders the columns by jsonPath: the spaces in Ready's make it sort before
// Reason's, as kubectl shows them (Age, under .metadata, comes first whatever its place here).
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type == \"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Available",
    jsonPath = ".status.server.availableReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Endpoint",
    jsonPath = ".status.endpoint",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TurboCache extends CustomResource<TurboCacheSpec, TurboCacheStatus> implements Namespaced {
  public static final String GROUP = "turbocache.dev";
  public static final String VERSION = "v1alpha1";
}

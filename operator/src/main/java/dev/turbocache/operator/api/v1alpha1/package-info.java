/**
 * The {@code turbocache.dev/v1alpha1} API: the {@link dev.turbocache.operator.api.v1alpha1.TurboCache}
 * custom resource, its spec and status. Plain data, no logic: defaults live in the CRD schema
 * ({@link dev.turbocache.operator.api.v1alpha1.ApiDefaults}) and are resolved by the operator's
 * {@code model} package when a field is absent. The CRD in {@code crds/} is generated from these classes.
 */
package dev.turbocache.operator.api.v1alpha1;

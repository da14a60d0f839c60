/**
 * Pure functions from a {@code TurboCache} to what the operator wants: resolved defaults
 * ({@link dev.turbocache.operator.model.ResolvedSpec}), names, labels, the server configuration file
 * and the checksum that rolls pods. No Kubernetes API calls here.
 */
package dev.turbocache.operator.model;

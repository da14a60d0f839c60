/**
 * Pure functions every component shares: the spec with its defaults
 * ({@link dev.turbocache.operator.model.ResolvedSpec}), child names, labels, the operator's version
 * and the checksum that rolls pods. No Kubernetes API calls here.
 */
package dev.turbocache.operator.model;

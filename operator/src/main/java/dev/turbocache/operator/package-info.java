/**
 * The TurboCache Kubernetes operator: its entry point, runtime settings, HTTP endpoints and the
 * JOSDK operator assembly. Components live in {@code server}, {@code redis}, {@code bucket} and
 * {@code monitoring}; {@code crd} checks that the cluster's TurboCache CRD is as new as the operator;
 * {@code model}, {@code dependent} and {@code status} are shared by all; {@code controller} ties them
 * together; {@code api.v1alpha1} is the CR model without logic.
 */
package dev.turbocache.operator;

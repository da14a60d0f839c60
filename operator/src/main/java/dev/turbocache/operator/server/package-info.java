/**
 * The cache servers of a TurboCache: their configuration file, the Secrets they read, one JOSDK
 * dependent per child (ServiceAccount, ConfigMap, Deployment, the clients' Service, the metrics
 * Service, Ingress, HPA, PDB, NetworkPolicy), each with a static pure {@code desired(...)}, and
 * what the operator observes of them for the status.
 */
package dev.turbocache.operator.server;

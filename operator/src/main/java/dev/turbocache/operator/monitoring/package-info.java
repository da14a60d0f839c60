/**
 * Monitoring of a TurboCache's cache servers: the ServiceMonitor, the PrometheusRule with its alerts
 * and the Grafana dashboard ConfigMap, one JOSDK dependent per child with a static pure
 * {@code desired(...)}, the activation conditions that keep the prometheus-operator children away
 * from clusters without its CRDs (and bring them once the CRDs appear), and what the operator
 * observes for the status. Reads the cache servers' Service port name and nothing else of another
 * component.
 */
package dev.turbocache.operator.monitoring;

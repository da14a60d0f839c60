/**
 * The TurboCache status: each component reports a {@link dev.turbocache.operator.status.ComponentObservation},
 * and {@link dev.turbocache.operator.status.TurboCacheStatusAggregator} is the one place where
 * conditions are built from them. Imports only the API model and the shared model, so every
 * component package can use it.
 */
package dev.turbocache.operator.status;

/** The TurboCache reconciler, its managed workflow and the status aggregator. */
package dev.turbocache.operator.controller;

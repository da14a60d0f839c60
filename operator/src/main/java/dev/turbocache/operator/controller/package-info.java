/**
 * The TurboCache reconciler: its managed workflow (the children of every component), the Secrets it
 * watches, and the status it derives from each component's observation.
 */
package dev.turbocache.operator.controller;

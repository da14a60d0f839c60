/**
 * What every child of a TurboCache shares, whatever its component: the JOSDK dependent base (name,
 * operator labels, desired state from a pure function) and the precondition of optional children.
 */
package dev.turbocache.operator.dependent;

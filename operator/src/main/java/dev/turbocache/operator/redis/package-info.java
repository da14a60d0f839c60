/** The redis tier of a TurboCache: what the operator observes and reports about it. */
package dev.turbocache.operator.redis;

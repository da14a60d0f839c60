/** The TurboCache Kubernetes operator (issue 5 builds it out). */
package dev.turbocache.operator;

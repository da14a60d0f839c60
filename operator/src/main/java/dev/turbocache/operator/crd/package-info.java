/**
 * The TurboCache CRD installed in the cluster, compared with the one this operator was built with:
 * an older CRD lacks fields, and the API server drops those fields from every TurboCache without
 * an error, so the operator says so in each TurboCache's Warnings condition.
 */
package dev.turbocache.operator.crd;

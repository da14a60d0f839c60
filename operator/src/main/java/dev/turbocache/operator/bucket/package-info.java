/**
 * The s3 tier's bucket. A Managed bucket is an external resource the operator creates and keeps:
 * {@link dev.turbocache.operator.bucket.ManagedBuckets} runs one pass per reconciliation (and a
 * bounded deletion step per cleanup) through a {@link dev.turbocache.operator.bucket.BucketClient};
 * what to write is the pure {@link dev.turbocache.operator.bucket.BucketPlan} over semantically
 * compared {@link dev.turbocache.operator.bucket.SectionValue}s, and what a failed call means is the
 * pure {@link dev.turbocache.operator.bucket.BucketError#kind()}. For every s3 tier the cache
 * servers' least-privilege {@link dev.turbocache.operator.bucket.IamPolicy} goes into the status and
 * a ConfigMap.
 */
package dev.turbocache.operator.bucket;

/** The s3 tier's bucket: what the operator observes and reports about it. */
package dev.turbocache.operator.bucket;

/** Sub-objects of the TurboCache spec (one class per section of the resource). */
package dev.turbocache.operator.api.v1alpha1.spec;

/**
 * One dependent per child of a TurboCache. Each exposes a static, pure {@code desired(...)} that unit
 * tests call directly; the JOSDK {@code desired(primary, context)} only gathers its inputs.
 */
package dev.turbocache.operator.dependent;

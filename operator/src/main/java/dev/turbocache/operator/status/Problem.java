package dev.turbocache.operator.status;

/** Something that makes the TurboCache Degraded: the condition's reason and what to do about it. */
public record Problem(String reason, String message) {}

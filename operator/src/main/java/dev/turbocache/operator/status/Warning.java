package dev.turbocache.operator.status;

/** Something the spec asks for that the operator ignores; never affects Ready. */
public record Warning(String reason, String message) {}

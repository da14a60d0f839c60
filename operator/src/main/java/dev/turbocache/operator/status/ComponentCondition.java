package dev.turbocache.operator.status;

/**
 * A component's condition.
 *
 * @param type the condition type, e.g. {@code ServerReady}
 * @param ready its status
 * @param required whether the TurboCache is Ready only when this one is (a disabled tier is not)
 * @param reason a CamelCase word for tools
 * @param message what a user reads
 */
public record ComponentCondition(String type, boolean ready, boolean required, String reason, String message) {}

package dev.turbocache.server.http;

/** Thrown by handlers to end a request with a given {@link ApiError}. */
public final class ApiException extends RuntimeException {
  private final ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(ApiError.badRequest(message));
  }

  public ApiError error() {
    return error;
  }
}

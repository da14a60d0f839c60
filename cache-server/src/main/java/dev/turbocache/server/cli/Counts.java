package dev.turbocache.server.cli;

/** Counts of things for people: "1 artifact", "0 artifacts", "2 artifacts". */
final class Counts {
  private Counts() {}

  /** {@code n} and {@code noun}, with an "s" unless {@code n} is one. */
  static String of(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}

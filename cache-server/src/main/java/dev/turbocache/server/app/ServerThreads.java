package dev.turbocache.server.app;

import dev.turbocache.server.config.TurboCacheConfig;

/**
 * How many threads the server runs requests on: I/O threads (parse, route, answer from memory,
 * small uploads) and workers (block on storage). {@code 0} in the config means the default for
 * the machine, {@link #forCores}.
 *
 * <p>One I/O thread per core, not more: two I/O threads on one core take turns in slices of the
 * kernel's scheduler, and the connections of the one that waits wait a slice too. On one pinned
 * core, two I/O threads made the 90th percentile of 4 KiB hits 3.3 ms against 0.5 ms with one, and
 * small uploads 8–11 k/s against 14 k/s (docs/benchmarks.md, "One core").
 *
 * @param io I/O threads
 * @param workers worker threads
 */
public record ServerThreads(int io, int workers) {
  /** Workers per core: they mostly wait on disks and remote tiers. */
  static final int WORKERS_PER_CORE = 8;

  /** The configured counts, each {@code 0} replaced by its default for {@code cores} cores. */
  public static ServerThreads of(TurboCacheConfig.Server server, int cores) {
    ServerThreads defaults = forCores(cores);
    return new ServerThreads(server.ioThreads() > 0 ? server.ioThreads() : defaults.io(),
        server.workerThreads() > 0 ? server.workerThreads() : defaults.workers());
  }

  /** One I/O thread and {@value #WORKERS_PER_CORE} workers per core. */
  public static ServerThreads forCores(int cores) {
    int n = Math.max(cores, 1);
    return new ServerThreads(n, n * WORKERS_PER_CORE);
  }

  /**
   * Threads that check JWTs whose signature is still to be verified, off the I/O threads: two per
   * I/O thread, so that a check waiting for an issuer's keys leaves others running.
   */
  public int tokenVerifiers() {
    return 2 * io;
  }

  /** For the startup line: "2 I/O threads, 16 workers". */
  @Override
  public String toString() {
    return io + (io == 1 ? " I/O thread, " : " I/O threads, ") + workers + (workers == 1 ? " worker" : " workers");
  }
}

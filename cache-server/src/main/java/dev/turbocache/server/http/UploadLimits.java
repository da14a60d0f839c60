package dev.turbocache.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the uploads in progress (admitted, until answered), in all and per client address. An
 * upload holds memory or a spool file for what it has received so far, however slowly its client
 * sends; the caps bound that, and keep one client from taking every slot. Behind a proxy every
 * client has the proxy's address, so the per-client cap applies to all of them together there.
 */
public final class UploadLimits {
  /** Whether an upload was admitted, and if not why. */
  public enum Verdict {
    ADMITTED,
    /** Every slot of the server is taken: 503. */
    SERVER_BUSY,
    /** This client address holds its share: 429. */
    CLIENT_BUSY
  }

  private final int max;
  private final int maxPerClient;
  private final AtomicInteger inProgress = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

  public UploadLimits(int max, int maxPerClient, MeterRegistry registry) {
    this.max = max;
    this.maxPerClient = maxPerClient;
    Gauge.builder("turbocache.uploads.in.progress", inProgress, AtomicInteger::get)
        .description("Uploads admitted and not yet answered (server.maxConcurrentUploads caps them)")
        .register(registry);
  }

  /** Takes a slot for an upload from {@code client} if there is one. Release every slot taken. */
  public Verdict tryAcquire(InetSocketAddress client) {
    if (inProgress.incrementAndGet() > max) {
      inProgress.decrementAndGet();
      return Verdict.SERVER_BUSY;
    }
    InetAddress address = client == null ? null : client.getAddress();
    if (address == null) {
      return Verdict.ADMITTED;
    }
    boolean[] admitted = {false};
    perClient.compute(address, (a, count) -> {
      AtomicInteger c = count == null ? new AtomicInteger() : count;
      if (c.get() < maxPerClient) {
        c.incrementAndGet();
        admitted[0] = true;
      }
      return c;
    });
    if (!admitted[0]) {
      inProgress.decrementAndGet();
      return Verdict.CLIENT_BUSY;
    }
    return Verdict.ADMITTED;
  }

  /** The counter of uploads refused for {@code reason}, before anything was stored. */
  static Counter refusals(String reason, MeterRegistry registry) {
    return Counter.builder("turbocache.uploads.refused")
        .description("Uploads refused before they were stored, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  public void release(InetSocketAddress client) {
    inProgress.decrementAndGet();
    InetAddress address = client == null ? null : client.getAddress();
    if (address != null) {
      // Entries go away with their last upload, so the map holds only clients uploading now.
      perClient.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
    }
  }
}

package dev.turbocache.server.storage.writeback;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore.ArtifactVisitor;
import dev.turbocache.server.storage.TierUnavailableException;
import dev.turbocache.server.storage.disk.DiskStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads to the durable tier in the background ({@code storage.writePolicy: write-back}).
 *
 * <p>Queued artifacts live in a {@link DiskStore} of their own, without eviction: the queue is
 * on local disk before an upload is acknowledged, it survives memory pressure and restarts (the
 * store rebuilds its index from the files), and an entry leaves only once the durable tier has it.
 * While queued, an artifact is still readable, so a hit never depends on the upload having run.
 *
 * <p>Failed uploads are retried with exponential backoff. When the queue is full, {@link #offer}
 * refuses and the caller writes through synchronously: slower, but nothing is dropped.
 */
public final class WriteBackQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteBackQueue.class);
  /** How long a worker waits before retrying a key another worker is still uploading. */
  private static final long BUSY_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * While the durable tier's circuit breaker skips it, how often a worker asks again: the
   * breaker itself decides when a real probe goes through, this only has to notice soon after.
   */
  static final long SKIPPED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** Writes one queued artifact into the durable tier. */
  @FunctionalInterface
  public interface Uploader {
    void upload(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) throws IOException;
  }

  private final DiskStore queued;
  private final TurboCacheConfig.WriteBack settings;
  private final DelayQueue<UploadTask> tasks = new DelayQueue<>();
  private final Set<ArtifactKey> inFlight = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<ArtifactKey, Integer> failures = new ConcurrentHashMap<>();
  private final Object progress = new Object();
  private final Counter uploaded;
  private final Counter failedUploads;
  private final Counter fallbacks;
  private final AtomicLong lastFailureLog = new AtomicLong();
  /** Until when workers hold off because the durable tier's breaker skips it (nanoTime). */
  private volatile long skippedUntil;
  /** Set when the breaker skipped the tier; the next success then retries every upload at once. */
  private volatile boolean sawTierSkipped;
  private ExecutorService workers;
  private volatile Uploader uploader;
  private volatile boolean accepting = true;

  public WriteBackQueue(Path directory, TurboCacheConfig.WriteBack settings, MeterRegistry registry)
      throws IOException {
    this.settings = settings;
    this.queued = new DiskStore(directory, Long.MAX_VALUE, Long.MAX_VALUE);
    Gauge.builder("turbocache.writeback.queue.entries", queued, q -> q.stats().entries())
        .description("Artifacts acknowledged but not yet in the durable tier")
        .register(registry);
    Gauge.builder("turbocache.writeback.queue.bytes", queued, q -> q.stats().bytes())
        .description("Body bytes waiting for the durable tier")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("turbocache.writeback.oldest.age", this, WriteBackQueue::oldestAgeSeconds)
        .description("Age of the oldest queued upload; grows while the durable tier is down")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("turbocache.writeback.queue.capacity.ratio", this, WriteBackQueue::fillRatio)
        .description("How full the queue is (0-1) by entries or bytes, whichever is higher")
        .register(registry);
    uploaded = Counter.builder("turbocache.writeback.uploads").tag("result", "success")
        .description("Background uploads to the durable tier").register(registry);
    failedUploads = Counter.builder("turbocache.writeback.uploads").tag("result", "failure")
        .description("Background uploads to the durable tier").register(registry);
    fallbacks = Counter.builder("turbocache.writeback.fallbacks")
        .description("Uploads written through synchronously because the queue was full or failed")
        .register(registry);
  }

  /** Starts the upload workers; everything already queued on disk (a restart) is resumed. */
  public void start(Uploader target) throws IOException {
    this.uploader = target;
    queued.scan((key, metadata) -> tasks.add(new UploadTask(key, System.nanoTime())));
    long resumed = queued.stats().entries();
    if (resumed > 0) {
      LOG.info("write-back: resuming {} queued uploads ({} bytes)", resumed, queued.stats().bytes());
    }
    workers = Executors.newFixedThreadPool(settings.workers(), r -> {
      Thread t = new Thread(r, "turbocache-writeback");
      t.setDaemon(true);
      return t;
    });
    for (int i = 0; i < settings.workers(); i++) {
      workers.execute(this::work);
    }
  }

  /**
   * Queues an upload. False when the queue is full or shutting down: the caller must then write
   * through synchronously.
   */
  public boolean offer(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    if (!accepting || !hasRoomFor(body.size())) {
      fallbacks.increment();
      return false;
    }
    queued.put(key, metadata, body);
    failures.remove(key);
    tasks.add(new UploadTask(key, System.nanoTime()));
    return true;
  }

  /** Counts an upload written through because queueing it failed. */
  public void countFallback() {
    fallbacks.increment();
  }

  /** Whether an upload of this size would be queued now. */
  public boolean hasRoomFor(long size) {
    var stats = queued.stats();
    return accepting
        && stats.entries() < settings.maxEntries()
        && stats.bytes() + size <= settings.maxBytes().bytes();
  }

  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    return queued.get(key);
  }

  public Optional<ArtifactMetadata> head(ArtifactKey key) {
    return queued.head(key);
  }

  /** Drops a queued upload (the artifact was deleted, or a newer version was written through). */
  public boolean discard(ArtifactKey key) {
    return queued.delete(key);
  }

  public void clear() {
    queued.clear();
  }

  public void scan(ArtifactVisitor visitor) throws IOException {
    queued.scan(visitor);
  }

  public long size() {
    return queued.stats().entries();
  }

  /**
   * Stops taking new uploads and waits up to {@code timeout} for the queue to empty. What is
   * left stays on disk and is resumed at the next start.
   *
   * @return true when everything reached the durable tier
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    accepting = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (queued.stats().entries() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("write-back: {} uploads still queued after {}; they resume at the next start",
              queued.stats().entries(), timeout);
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
    return true;
  }

  @Override
  public void close() {
    accepting = false;
    if (workers != null) {
      workers.shutdownNow();
      try {
        workers.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    queued.close();
  }

  private void work() {
    while (!Thread.currentThread().isInterrupted()) {
      UploadTask task;
      try {
        long wait = skippedUntil - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        task = tasks.take();
      } catch (InterruptedException e) {
        return;
      }
      if (!inFlight.add(task.key())) {
        // Another worker is uploading an older version of this key; upload the newer one after.
        tasks.add(new UploadTask(task.key(), System.nanoTime() + BUSY_RETRY_NANOS));
        continue;
      }
      try {
        uploadOne(task.key());
      } finally {
        inFlight.remove(task.key());
        synchronized (progress) {
          progress.notifyAll();
        }
      }
    }
  }

  private void uploadOne(ArtifactKey key) {
    ArtifactMetadata sent = null;
    try {
      Optional<Artifact> current = queued.get(key);
      if (current.isEmpty()) {
        return; // already uploaded by an earlier task, or discarded
      }
      try (Artifact artifact = current.get()) {
        sent = artifact.metadata();
        uploader.upload(key, sent, artifact.body());
      }
      // A newer version queued meanwhile stays, and its own task uploads it.
      queued.deleteIfUnchanged(key, sent);
      failures.remove(key);
      uploaded.increment();
      if (sawTierSkipped) {
        sawTierSkipped = false;
        retryAllNow();
      }
    } catch (TierUnavailableException e) {
      // Not this upload's failure: the tier is skipped until its breaker lets a probe through.
      sawTierSkipped = true;
      skippedUntil = System.nanoTime() + SKIPPED_RETRY_NANOS;
      tasks.add(new UploadTask(key, System.nanoTime()));
    } catch (IOException | RuntimeException e) {
      failedUploads.increment();
      int attempt = failures.merge(key, 1, Integer::sum);
      Duration delay = backoff(attempt);
      tasks.add(new UploadTask(key, System.nanoTime() + delay.toNanos()));
      logFailure(key, attempt, delay, e);
    }
  }

  /**
   * The durable tier is back after its breaker skipped it: uploads that failed during the outage
   * are retried now instead of after the backoff they collected then.
   */
  private void retryAllNow() {
    failures.clear();
    long now = System.nanoTime();
    var waiting = new ArrayList<UploadTask>();
    for (var it = tasks.iterator(); it.hasNext(); ) {
      UploadTask task = it.next();
      if (task.getDelay(TimeUnit.NANOSECONDS) > 0) {
        it.remove();
        waiting.add(task);
      }
    }
    waiting.forEach(t -> tasks.add(new UploadTask(t.key(), now)));
  }

  Duration backoff(int attempt) {
    long initial = settings.retryInitial().toMillis();
    long max = settings.retryMax().toMillis();
    long delay = attempt >= 31 ? max : Math.min(max, initial << (attempt - 1));
    return Duration.ofMillis(Math.max(1, delay));
  }

  /** One line every few seconds at most: an outage must not flood the log. */
  private void logFailure(ArtifactKey key, int attempt, Duration delay, Exception e) {
    long now = System.currentTimeMillis();
    long last = lastFailureLog.get();
    if (now - last >= 5_000 && lastFailureLog.compareAndSet(last, now)) {
      LOG.warn("write-back: upload of {} failed (attempt {}), retrying in {}; {} queued: {}",
          key, attempt, delay, queued.stats().entries(), e.toString());
    }
  }

  private double oldestAgeSeconds() {
    Instant[] oldest = {null};
    try {
      queued.scan((key, metadata) -> {
        Instant created = metadata.createdAt();
        if (created != null && (oldest[0] == null || created.isBefore(oldest[0]))) {
          oldest[0] = created;
        }
      });
    } catch (IOException e) {
      return Double.NaN;
    }
    return oldest[0] == null ? 0 : Duration.between(oldest[0], Instant.now()).toMillis() / 1000.0;
  }

  private double fillRatio() {
    var stats = queued.stats();
    return Math.max((double) stats.entries() / settings.maxEntries(),
        (double) stats.bytes() / settings.maxBytes().bytes());
  }
}

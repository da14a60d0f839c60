package dev.turbocache.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A console appender that encodes and writes on a thread of its own, many lines per write: the
 * access log, which has a line for every request. Written synchronously, each line cost the
 * thread that completed the request the encoding and a {@code write(2)} to standard output,
 * about a quarter of a memory-tier hit.
 *
 * <p>Nothing is dropped: when the queue is full, the logging thread waits for room, as it waited
 * for the write before. The encoder runs on the writer thread, so the event's message (the access
 * line) is rendered there; the thread name and MDC are taken at the call. After {@link #drain()}
 * (and {@link #stop()}), lines are written as they come, on the caller's thread.
 */
final class BatchingConsoleAppender extends ConsoleAppender<ILoggingEvent> {
  /** Lines waiting: at 100 k requests/s, 80 ms of them. */
  private static final int QUEUE_LINES = 8192;
  /** Lines per write at most, so one write stays a few hundred KiB. */
  private static final int BATCH_LINES = 1024;
  /**
   * How long the writer lets lines gather after a write before it looks again. Meanwhile the
   * threads that log only queue their lines: waking a waiting writer for every line (a futex
   * call each) cost more than the write it saved. An idle writer waits for the next line and
   * writes it at once, so a line is out at most this much later than it was logged.
   */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final BlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
  /** Read side: an append that queues; write side: switching to direct writes. */
  private final ReadWriteLock mode = new ReentrantReadWriteLock();
  private boolean direct;
  private Thread writer;

  @Override
  public void start() {
    super.start();
    if (isStarted()) {
      writer = Thread.ofPlatform().daemon().name("turbocache-" + getName() + "-log").start(this::writeLoop);
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    mode.readLock().lock();
    try {
      if (!direct) {
        event.getThreadName();
        event.getMDCPropertyMap();
        queue.put(event);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      mode.readLock().unlock();
    }
    super.append(event);
  }

  /**
   * Writes what is queued and returns once it is out; from then on lines are written as they
   * come. For the end of the process, whose last lines would otherwise wait in the queue.
   */
  void drain() {
    mode.writeLock().lock();
    try {
      if (direct) {
        return;
      }
      direct = true;
    } finally {
      mode.writeLock().unlock();
    }
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void stop() {
    drain();
    super.stop();
  }

  /**
   * Writes whatever is queued in one go, lets the next lines gather, and waits for a line only
   * when none came meanwhile; when interrupted, writes the rest and ends.
   */
  private void writeLoop() {
    List<ILoggingEvent> batch = new ArrayList<>(BATCH_LINES);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    while (!Thread.currentThread().isInterrupted()) {
      if (queue.isEmpty()) {
        try {
          batch.add(queue.take());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      queue.drainTo(batch, BATCH_LINES - batch.size());
      write(batch, bytes);
      LockSupport.parkNanos(GATHER_NANOS);
    }
    // drain(): appends now write for themselves; what is queued goes out first.
    while (queue.drainTo(batch, BATCH_LINES) > 0) {
      write(batch, bytes);
    }
  }

  private void encode(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
    if (encoder instanceof MessageLineEncoder lines) {
      try {
        lines.encodeBatch(batch, bytes, (event, e) -> addError("could not encode a log line", e));
      } catch (IOException e) {
        addError("could not encode " + batch.size() + " log lines", e);
      }
      return;
    }
    for (ILoggingEvent event : batch) {
      try {
        bytes.writeBytes(encoder.encode(event));
      } catch (RuntimeException e) {
        addError("could not encode a log line", e);
      }
    }
  }

  /** Writes the batch in one go and empties it. */
  private void write(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
    if (batch.isEmpty()) {
      return;
    }
    encode(batch, bytes);
    streamWriteLock.lock();
    try {
      OutputStream out = getOutputStream();
      bytes.writeTo(out);
      if (isImmediateFlush()) {
        out.flush();
      }
    } catch (IOException e) {
      addError("could not write " + batch.size() + " log lines", e);
    } finally {
      streamWriteLock.unlock();
      batch.clear();
      bytes.reset();
    }
  }
}

package dev.turbocache.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An output stream that keeps only the last lines written to it, each cut to a bounded length:
 * the log of a throw-away server, which is dropped unless something fails and its last lines say
 * what the server made of the requests just before.
 */
final class RecentLines extends OutputStream {
  private static final int MAX_LINE_BYTES = 2000;

  private final int keep;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();

  /** @param keep how many of the last complete lines to keep */
  RecentLines(int keep) {
    this.keep = keep;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      endLine();
    } else if (current.size() < MAX_LINE_BYTES) {
      current.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (b[i] == '\n') {
        append(b, start, i);
        endLine();
        start = i + 1;
      }
    }
    append(b, start, end);
  }

  /** The kept lines, oldest first, with a line still being written last. */
  synchronized List<String> lines() {
    if (current.size() == 0) {
      return List.copyOf(lines);
    }
    List<String> all = new ArrayList<>(lines);
    all.add(current.toString(StandardCharsets.UTF_8));
    return List.copyOf(all);
  }

  private void append(byte[] b, int from, int to) {
    current.write(b, from, Math.min(to - from, MAX_LINE_BYTES - current.size()));
  }

  private void endLine() {
    lines.addLast(current.toString(StandardCharsets.UTF_8));
    current.reset();
    if (lines.size() > keep) {
      lines.removeFirst();
    }
  }
}

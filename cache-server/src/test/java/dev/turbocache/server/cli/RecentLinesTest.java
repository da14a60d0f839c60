package dev.turbocache.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecentLinesTest {
  @Test
  void keepsTheLastLinesOldestFirst() {
    RecentLines recent = new RecentLines(3);
    PrintStream out = new PrintStream(recent, true, StandardCharsets.UTF_8);
    for (int i = 1; i <= 5; i++) {
      out.println("line " + i);
    }
    assertThat(recent.lines()).containsExactly("line 3", "line 4", "line 5");
  }

  @Test
  void aLineStillBeingWrittenComesLast() {
    RecentLines recent = new RecentLines(2);
    recent.write("a\nb\nc".getBytes(StandardCharsets.UTF_8), 0, 5);
    recent.write('d');
    assertThat(recent.lines()).containsExactly("a", "b", "cd");
  }

  @Test
  void cutsALongLineAndKeepsTheNextWhole() {
    RecentLines recent = new RecentLines(2);
    byte[] line = ("x".repeat(5000) + "\nnext\n").getBytes(StandardCharsets.UTF_8);
    recent.write(line, 0, line.length);
    assertThat(recent.lines()).hasSize(2);
    assertThat(recent.lines().get(0)).hasSize(2000);
    assertThat(recent.lines().get(1)).isEqualTo("next");
  }
}

package dev.turbocache.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReusedAnswersTest {
  static final Instant START = Instant.parse("2026-12-04T12:00:00Z");

  final SettableClock clock = new SettableClock(START);
  final List<String> changes = new ArrayList<>();
  final ReusedAnswers<String, Integer> answers =
      new ReusedAnswers<>(clock, Duration.ofSeconds(10), (key, before, now) -> changes.add(key + ": " + before + " -> " + now));

  @Test
  void anAnswerIsReusedWithinTheTtlAndAskedForAgainFromItsEnd() {
    AtomicInteger asked = new AtomicInteger();
    assertThat(answers.get("a", asked::incrementAndGet)).isEqualTo(1);
    clock.set(START.plusSeconds(9));
    assertThat(answers.get("a", asked::incrementAndGet)).as("within the TTL").isEqualTo(1);
    clock.set(START.plusSeconds(10));
    assertThat(answers.get("a", asked::incrementAndGet)).as("asked again").isEqualTo(2);
    assertThat(asked).hasValue(2);
  }

  @Test
  void eachKeyHasItsOwnAnswer() {
    assertThat(answers.get("a", () -> 1)).isEqualTo(1);
    assertThat(answers.get("b", () -> 2)).isEqualTo(2);
    assertThat(answers.get("a", () -> 3)).isEqualTo(1);
  }

  @Test
  void aChangeIsToldOnceWhenTheAnswerDiffersFromTheOneBefore() {
    answers.get("a", () -> 1);
    clock.set(START.plusSeconds(10));
    answers.get("a", () -> 1);
    clock.set(START.plusSeconds(20));
    answers.get("a", () -> 2);
    clock.set(START.plusSeconds(30));
    answers.get("a", () -> 2);
    assertThat(changes).containsExactly("a: null -> 1", "a: 1 -> 2");
  }
}

package dev.turbocache.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTemplateTest {
  private final JsonTemplate urls = new JsonTemplate(url -> Json.encode(Map.of("urls", List.of(url))));

  @Test
  void aFilledTemplateIsWhatTheMapperWrites() {
    for (String text : List.of("", "abc123", "team_1.web-app/0123abcdef")) {
      assertThat(urls.fill(text)).isEqualTo(Json.encode(Map.of("urls", List.of(text))));
    }
  }

  @Test
  void stringsJsonWouldEscapeAreRefused() {
    for (String text : List.of("a\"b", "a\\b", "a\nb", "ä")) {
      assertThatThrownBy(() -> urls.fill(text)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aTemplateMustHoldTheStringOnce() {
    assertThatThrownBy(() -> new JsonTemplate(s -> Json.encode(List.of(s, s))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JsonTemplate(s -> Json.encode(List.of("constant"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

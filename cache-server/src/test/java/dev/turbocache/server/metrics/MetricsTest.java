package dev.turbocache.server.metrics;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A known sequence of requests moves exactly the series docs/metrics.md says it does. */
class MetricsTest {
  @TempDir Path dir;

  @Test
  void knownSequenceMovesTheDocumentedSeries() {
    try (TestServer s = TestServer.start(dir)) {
      String before = scrape(s);
      assertThat(value(before, "turbocache_tier_lookups_total{result=\"hit\",tier=\"memory\"}")).isZero();
      assertThat(value(before, "turbocache_time_saved_seconds_total")).isZero();

      s.put(artifact("a1"), WRITER, new byte[1000], "x-artifact-duration", "1500");
      s.put(artifact("a2"), WRITER, new byte[24], "x-artifact-duration", "500");
      s.get(artifact("a1"), READER);
      s.get(artifact("a1"), READER);
      s.get(artifact("a2"), READER);
      s.get(artifact("ff"), READER);
      s.head(artifact("a2"), READER);
      s.put(artifact("a3"), READER, new byte[1]);
      s.postJson("/v8/artifacts/events?slug=acme", READER,
          "[{\"source\":\"REMOTE\",\"event\":\"HIT\"},{\"source\":\"LOCAL\",\"event\":\"MISS\"},"
              + "{\"source\":\"REMOTE\",\"event\":\"HIT\"}]");

      String m = scrape(s);
      // requests by route, method and status, with histogram buckets
      assertThat(value(m, "turbocache_http_requests_seconds_count{method=\"GET\",route=\"/v8/artifacts/{hash}\",status=\"200\"}")).isEqualTo(3);
      assertThat(value(m, "turbocache_http_requests_seconds_count{method=\"GET\",route=\"/v8/artifacts/{hash}\",status=\"404\"}")).isEqualTo(1);
      assertThat(value(m, "turbocache_http_requests_seconds_count{method=\"PUT\",route=\"/v8/artifacts/{hash}\",status=\"202\"}")).isEqualTo(2);
      assertThat(value(m, "turbocache_http_requests_seconds_count{method=\"PUT\",route=\"/v8/artifacts/{hash}\",status=\"403\"}")).isEqualTo(1);
      assertThat(m).contains("turbocache_http_requests_seconds_bucket{method=\"GET\",route=\"/v8/artifacts/{hash}\",status=\"200\",le=");
      // the scrape itself is the one request in flight
      assertThat(value(m, "turbocache_http_requests_active")).isEqualTo(1);
      // tiers: memory fills from reads, so the first GET of a1 and of a2 hit disk and promoted
      // them; the second GET of a1 and HEAD a2 hit memory; ff missed both tiers
      assertThat(value(m, "turbocache_tier_lookups_total{result=\"hit\",tier=\"memory\"}")).isEqualTo(2);
      assertThat(value(m, "turbocache_tier_lookups_total{result=\"miss\",tier=\"memory\"}")).isEqualTo(3);
      assertThat(value(m, "turbocache_tier_lookups_total{result=\"miss\",tier=\"disk\"}")).isEqualTo(1);
      assertThat(value(m, "turbocache_tier_lookups_total{result=\"hit\",tier=\"disk\"}")).isEqualTo(2);
      assertThat(value(m, "turbocache_tier_bytes_read_bytes_total{tier=\"memory\"}")).isEqualTo(1000);
      assertThat(value(m, "turbocache_tier_bytes_read_bytes_total{tier=\"disk\"}")).isEqualTo(1024);
      assertThat(value(m, "turbocache_tier_promotions_total{tier=\"memory\"}")).isEqualTo(2);
      assertThat(value(m, "turbocache_tier_bytes_written_bytes_total{tier=\"memory\"}")).isEqualTo(1024);
      assertThat(value(m, "turbocache_tier_bytes_written_bytes_total{tier=\"disk\"}")).isEqualTo(1024);
      assertThat(value(m, "turbocache_tier_entries{tier=\"disk\"}")).isEqualTo(2);
      assertThat(value(m, "turbocache_tier_size_bytes{tier=\"memory\"}")).isEqualTo(1024);
      assertThat(m).contains("turbocache_tier_latency_seconds_count{op=\"get\",tier=\"memory\"}");
      assertThat(value(m, "turbocache_tier_errors_total{op=\"put\",tier=\"disk\"}")).isZero();
      // per team, bounded
      assertThat(value(m, "turbocache_artifacts_uploaded_total{team=\"acme\"}")).isEqualTo(2);
      assertThat(value(m, "turbocache_artifacts_uploaded_bytes_total{team=\"acme\"}")).isEqualTo(1024);
      assertThat(value(m, "turbocache_team_lookups_total{result=\"hit\",team=\"acme\"}")).isEqualTo(3);
      assertThat(value(m, "turbocache_team_lookups_total{result=\"miss\",team=\"acme\"}")).isEqualTo(1);
      // time saved: 1.5 s twice + 0.5 s once
      assertThat(value(m, "turbocache_time_saved_seconds_total")).isEqualTo(3.5);
      // client events
      assertThat(value(m, "turbocache_client_events_total{event=\"hit\",source=\"remote\"}")).isEqualTo(2);
      assertThat(value(m, "turbocache_client_events_total{event=\"miss\",source=\"local\"}")).isEqualTo(1);
      // JVM and process
      assertThat(m).contains("jvm_memory_used_bytes").contains("process_cpu_usage").contains("process_uptime_seconds");
    }
  }

  /** Every turbocache_* series the server exposes is explained in docs/metrics.md. */
  @Test
  void everySeriesIsDocumented() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "metrics.md"));
    try (TestServer s = TestServer.start(dir)) {
      s.put(artifact("a1"), WRITER, new byte[10]);
      s.get(artifact("a1"), READER);
      s.get("/admin/stats", ADMIN);
      s.postJson("/v8/artifacts/events?slug=acme", READER, "[{\"source\":\"REMOTE\",\"event\":\"HIT\"}]");
      String scrape = scrape(s);
      Matcher names = Pattern.compile("(?m)^# TYPE (turbocache_\\w+) ").matcher(scrape);
      int n = 0;
      while (names.find()) {
        n++;
        String family = names.group(1);
        assertThat(docs).as("docs/metrics.md documents %s", family).contains("`" + family);
        assertThat(scrape).as("%s has a HELP text", family)
            .containsPattern("(?m)^# HELP " + family + " \\S");
      }
      assertThat(n).isGreaterThan(10);
    }
  }

  private static String scrape(TestServer s) {
    return new String(s.get("/metrics", null).body());
  }

  static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + series + " in the scrape");
  }
}

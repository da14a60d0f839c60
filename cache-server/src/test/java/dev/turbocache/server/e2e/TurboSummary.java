package dev.turbocache.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The parts of a turbo 2.11 run summary ({@code .turbo/runs/<id>.json} from {@code --summarize})
 * or dry run ({@code --dry=json} on stdout) that the tests assert on. Both share the {@code tasks}
 * array; each task has {@code cache: {local, remote, status: HIT|MISS, source: LOCAL|REMOTE
 * (only on hits), timeSaved, sha (only on remote hits, from x-artifact-sha)}}.
 */
public record TurboSummary(String turboVersion, String scmSha, List<Task> tasks, JsonNode raw) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param status "HIT" or "MISS"
   * @param source "LOCAL" or "REMOTE" on a hit, null on a miss
   * @param timeSaved ms; on a remote hit this is the server's x-artifact-duration (batch
   *     taskDurationMs for dry runs)
   * @param sha on a remote hit, the x-artifact-sha the server returned; null otherwise
   */
  public record Task(
      String taskId,
      String hash,
      String status,
      String source,
      boolean local,
      boolean remote,
      long timeSaved,
      String sha) {

    public boolean isRemoteHit() {
      return "HIT".equals(status) && "REMOTE".equals(source) && remote;
    }

    public boolean isMiss() {
      return "MISS".equals(status);
    }
  }

  public static TurboSummary parse(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading turbo summary " + file, e);
    }
  }

  public static TurboSummary parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a turbo JSON summary:\n" + json, e);
    }
    if (root == null || !root.has("tasks")) {
      throw new IllegalArgumentException("turbo JSON has no tasks:\n" + json);
    }
    List<Task> tasks = new ArrayList<>();
    for (JsonNode t : root.get("tasks")) {
      JsonNode cache = t.path("cache");
      tasks.add(
          new Task(
              t.path("taskId").asText(),
              t.path("hash").asText(),
              text(cache, "status"),
              text(cache, "source"),
              cache.path("local").asBoolean(false),
              cache.path("remote").asBoolean(false),
              cache.path("timeSaved").asLong(0),
              text(cache, "sha")));
    }
    return new TurboSummary(
        text(root, "turboVersion"), text(root.path("scm"), "sha"), List.copyOf(tasks), root);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  public List<String> hashes() {
    return tasks.stream().map(Task::hash).toList();
  }

  public Map<String, Task> byTaskId() {
    return tasks.stream().collect(Collectors.toMap(Task::taskId, Function.identity()));
  }

  public Task task(String taskId) {
    Task t = byTaskId().get(taskId);
    if (t == null) {
      throw new IllegalArgumentException("no task " + taskId + " in " + hashes());
    }
    return t;
  }
}

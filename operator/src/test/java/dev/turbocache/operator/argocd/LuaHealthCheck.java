package dev.turbocache.operator.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.operator.helm.TurboCacheChart;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An Argo CD health script run by a real Lua 5.1 interpreter (Argo CD's gopher-lua implements Lua
 * 5.1) in the sandbox Argo CD gives it: the resource as the global {@code obj}, only the base and
 * table libraries, and strings without methods, as when the string library is not loaded. The
 * script's returned table is the health.
 */
public final class LuaHealthCheck {
  public static final Path SCRIPT = TurboCacheChart.repoRoot().resolve("examples/argocd/turbocache-health.lua");
  /** Debian's package name of the interpreter; -Dlua=/path/to/lua5.1 picks another. */
  static final String INTERPRETER = "lua5.1";

  /**
   * arg[1] the script, arg[2] a chunk returning obj. Output: the status line, then the message.
   * Names of Lua 5.1's base library; Argo CD adds the table library and a reduced os.
   */
  private static final String DRIVER = """
      local script, input = arg[1], arg[2]
      local env = {}
      for _, name in ipairs({"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "print",
          "rawequal", "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "unpack",
          "xpcall", "_VERSION"}) do
        env[name] = _G[name]
      end
      env.table = table
      env.obj = assert(loadfile(input))()
      env._G = env
      local chunk = assert(loadfile(script))
      setfenv(chunk, env)
      local write, setmetatable = io.write, debug.setmetatable
      setmetatable("", nil)
      local ok, hs = pcall(chunk)
      if not ok then
        write("ERROR\\n", tostring(hs), "\\n")
        os.exit(2)
      end
      if type(hs) ~= "table" then
        write("ERROR\\n", "the script returned a ", type(hs), ", not a table\\n")
        os.exit(2)
      end
      write(tostring(hs.status), "\\n", hs.message == nil and "" or tostring(hs.message), "\\n")
      """;

  private LuaHealthCheck() {}

  /** What Argo CD shows: status and message. */
  public record Health(String status, String message) {}

  /** {@link #SCRIPT} on {@code obj} (the resource as JSON, as Argo CD decodes it from the API). */
  public static Health of(JsonNode obj) {
    return run(SCRIPT, obj);
  }

  public static Health run(Path script, JsonNode obj) {
    Path input = null;
    Path driver = null;
    try {
      input = Files.createTempFile("health-input-", ".lua");
      driver = Files.createTempFile("health-driver-", ".lua");
      Files.writeString(input, "return " + literal(obj) + "\n", StandardCharsets.UTF_8);
      Files.writeString(driver, DRIVER, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(interpreter(), driver.toString(), script.toString(), input.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(INTERPRETER + " did not finish: " + out);
      }
      String[] lines = out.split("\n", 2);
      if (p.exitValue() != 0 || lines.length < 2) {
        throw new AssertionError(script.getFileName() + " failed (exit " + p.exitValue() + "): " + out);
      }
      return new Health(lines[0], lines[1].endsWith("\n") ? lines[1].substring(0, lines[1].length() - 1) : lines[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      delete(input);
      delete(driver);
    }
  }

  static String interpreter() {
    String configured = System.getProperty("lua");
    if (configured != null) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, INTERPRETER);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("no " + INTERPRETER + " on the PATH: install it (Debian: apt-get install lua5.1;"
        + " CI's .ci/run does) or point -Dlua= at a Lua 5.1 interpreter");
  }

  /** A Lua table constructor with the same content as {@code node}; JSON null is Lua nil (an absent key). */
  static String literal(JsonNode node) {
    StringBuilder out = new StringBuilder();
    append(node, out);
    return out.toString();
  }

  private static void append(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("nil");
    } else if (node.isObject()) {
      out.append('{');
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append('[');
        string(e.getKey(), out);
        out.append("]=");
        append(e.getValue(), out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('{');
      for (JsonNode item : node) {
        append(item, out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isBoolean() || node.isNumber()) {
      out.append(node.asText());
    } else {
      string(node.asText(), out);
    }
  }

  /** A quoted Lua string: quote, backslash and control characters escaped as decimal bytes. */
  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\%03d", (int) c)); // three digits: a following digit is not read as part of it
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static void delete(Path p) {
    try {
      if (p != null) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

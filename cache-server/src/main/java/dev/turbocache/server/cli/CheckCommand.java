package dev.turbocache.server.cli;

import dev.turbocache.server.auth.TokensFile;
import dev.turbocache.server.auth.jwt.RevokedIdsFile;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code check}: what {@code serve} would read at startup and while it runs (the config, the tokens
 * file, the revoked token ids file), judged by the server's own parsers without starting anything,
 * so that a bad edit is caught before a running server refuses it.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check the config and the files the server reads; starts nothing.",
      "With no file option: the configuration as serve would load it (built-in defaults, --config, "
          + "TURBOCACHE_* environment variables), then its auth.tokensFile and "
          + "auth.jwt.revokedIdsFile when set. With --tokens-file or --revoked-ids-file: only that "
          + "file ('-' reads it from standard input, e.g. from kubectl get secret). One line per "
          + "item; a refused item's line says why, as the server would log it. Nothing is sent or "
          + "written."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Everything checked is valid.", "1:Something is invalid or cannot be read.",
        "2:Bad arguments."})
final class CheckCommand implements Callable<Integer> {
  private static final String STDIN = "-";

  @Spec CommandSpec spec;
  @ParentCommand Main main;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML config file (default: $TURBOCACHE_CONFIG, else built-in defaults).")
  Path config;

  @Option(names = "--tokens-file", paramLabel = "FILE",
      description = "Check only this tokens file ('-': standard input).")
  String tokensFile;

  @Option(names = "--revoked-ids-file", paramLabel = "FILE",
      description = "Check only this revoked token ids file ('-': standard input).")
  String revokedIdsFile;

  /** One item checked: its name and either what it holds or why it is refused. */
  private record Verdict(String item, String holds, String refused) {}

  @Override
  public Integer call() {
    if (STDIN.equals(tokensFile) && STDIN.equals(revokedIdsFile)) {
      throw new CliException(ExitCodes.USAGE, "only one of --tokens-file and --revoked-ids-file can read standard input");
    }
    if ((tokensFile != null || revokedIdsFile != null) && config != null) {
      throw new CliException(ExitCodes.USAGE, "--config checks the configuration and its files; "
          + "--tokens-file and --revoked-ids-file check one file alone: give one or the other");
    }
    List<Verdict> verdicts = new ArrayList<>();
    if (tokensFile != null || revokedIdsFile != null) {
      if (tokensFile != null) {
        verdicts.add(tokens(tokensFile));
      }
      if (revokedIdsFile != null) {
        verdicts.add(revokedIds(revokedIdsFile));
      }
    } else {
      checkConfig(verdicts);
    }
    PrintWriter out = spec.commandLine().getOut();
    boolean valid = true;
    for (Verdict v : verdicts) {
      out.println(v.refused() == null ? v.item() + ": valid, " + v.holds() : v.item() + ": INVALID: " + v.refused());
      valid &= v.refused() == null;
    }
    return valid ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private void checkConfig(List<Verdict> verdicts) {
    Path file = ConfigLoader.configFile(config, env());
    String item = file == null ? "configuration (built-in defaults and environment)" : "configuration " + file;
    TurboCacheConfig loaded;
    try {
      loaded = new ConfigLoader().load(file, env());
    } catch (ConfigException e) {
      verdicts.add(new Verdict(item, null, e.getMessage()));
      return;
    }
    verdicts.add(new Verdict(item, "tiers " + String.join(", ", loaded.storage().tiers())
        + ", " + loaded.storage().writePolicy(), null));
    TurboCacheConfig.Auth auth = loaded.auth();
    if (auth.tokensFile() != null) {
      verdicts.add(tokens(auth.tokensFile().toString()));
    }
    if (auth.jwt().revokedIdsFile() != null) {
      verdicts.add(revokedIds(auth.jwt().revokedIdsFile().toString()));
    }
  }

  private static Verdict tokens(String file) {
    String item = "tokens file " + origin(file);
    return judge(item, () -> TokensFile.parse(STDIN.equals(file) ? stdin() : TokensFile.readBytes(Path.of(file)),
        origin(file)).size() + " token(s)");
  }

  private static Verdict revokedIds(String file) {
    String item = "revoked token ids file " + origin(file);
    return judge(item, () -> RevokedIdsFile.parse(STDIN.equals(file) ? stdin() : RevokedIdsFile.read(Path.of(file)),
        origin(file)).size() + " id(s)");
  }

  private static Verdict judge(String item, Supplier<String> holds) {
    try {
      return new Verdict(item, holds.get(), null);
    } catch (ConfigException e) {
      // the parsers' messages start with the file's name, which the line already has
      String message = e.getMessage();
      return new Verdict(item, null, message.startsWith(item + ": ") ? message.substring(item.length() + 2) : message);
    }
  }

  private static String origin(String file) {
    return STDIN.equals(file) ? "<standard input>" : file;
  }

  private static byte[] stdin() {
    try {
      return System.in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, String> env() {
    return main.env();
  }
}

package dev.turbocache.server.cli;

import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.Principal;
import dev.turbocache.server.auth.TokenDigest;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code token}: a new random token, its digest and a tokens.yaml entry holding only the digest. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a token and its tokens.yaml entry.",
      "Prints a random 256-bit token, its SHA-256 digest and a tokens.yaml entry that holds only "
          + "the digest, so the tokens file never contains the secret. Nothing is stored: give the "
          + "token to the client (TURBO_TOKEN) and paste the entry into the tokens file (the "
          + "server reloads it by itself)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Success.", "2:Bad arguments."})
final class TokenCommand implements Callable<Integer> {
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "ci",
      description = "Name shown in logs and metrics (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--team", paramLabel = "TEAM", split = ",",
      description = "Team the token may use; repeat or comma-separate for several; * for any "
          + "(default: *).")
  List<String> teams;

  @Option(names = "--access", paramLabel = "LEVEL", defaultValue = "readwrite",
      description = "read, readwrite or admin (default: ${DEFAULT-VALUE}).")
  String access;

  @Override
  public Integer call() {
    if (!NAME.matcher(name).matches()) {
      throw new CliException(ExitCodes.USAGE,
          "--name: use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit");
    }
    if (AccessLevel.fromConfigName(access).isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "--access must be read, readwrite or admin, not '" + access + "'");
    }
    List<String> list = teams == null || teams.isEmpty() ? List.of(Principal.ANY_TEAM) : teams;
    for (String t : list) {
      if (!t.equals(Principal.ANY_TEAM) && !Team.isValid(t)) {
        throw new CliException(ExitCodes.USAGE, "--team '" + t
            + "': use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit, or *");
      }
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String digest = TokenDigest.hexOf(token);
    String teamList = list.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "));
    PrintWriter out = spec.commandLine().getOut();
    out.println("token:  " + token);
    out.println("sha256: " + digest);
    out.println();
    out.println("tokens.yaml entry:");
    out.println("  - {name: " + name + ", sha256: \"" + digest + "\", teams: [" + teamList
        + "], access: " + access + "}");
    out.println();
    out.println("The token is shown only here; the entry holds just its digest.");
    return ExitCodes.OK;
  }
}

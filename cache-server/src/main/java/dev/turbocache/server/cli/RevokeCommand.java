package dev.turbocache.server.cli;

import dev.turbocache.server.admin.AdminApi;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code revoke}: refuse a JWT by its id through a running server (POST /admin/tokens/revoke). */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Refuse a JWT by its id (jti) from now on.",
      "Sends the id to a running server (POST /admin/tokens/revoke), which refuses tokens with it "
          + "until they expire: until --exp, or else for the longest any trusted issuer's tokens "
          + "may be valid. With a redis tier every server using that Redis refuses them; without "
          + "one only the server that answered does, and the command says so. Needs an admin "
          + "token for every team."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.", "1:The server answered with an error (no JWT issuer configured...).",
      "2:Bad arguments.", "3:The server could not be reached.", "4:The server refused the token (401/403)."
    })
final class RevokeCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin ServerOptions server;

  @Parameters(paramLabel = "JTI", description = "The id of the token to refuse: its jti claim.")
  String jti;

  @Option(names = "--exp", paramLabel = "EPOCH_SECONDS",
      description = "The token's exp claim: the id is then kept no longer than the token is valid.")
  Long exp;

  @Override
  public Integer call() {
    ServerClient client = server.client(main);
    AdminApi.RevokeResponse r = client.postJson("/admin/tokens/revoke",
        new AdminApi.RevokeRequest(jti, exp), AdminApi.RevokeResponse.class);
    PrintWriter out = spec.commandLine().getOut();
    out.println("revoked token id " + r.jti() + " until " + r.revokedUntil());
    if (AdminApi.RevokeResponse.THIS_SERVER.equals(r.scope())) {
      out.println("only the server at " + client.baseUrl() + " refuses it: it has no redis tier to "
          + "share revocations through, so send this revocation to each of its replicas too");
    } else {
      out.println("every server using the same Redis refuses it (within auth.jwt.revocationRefreshInterval)");
    }
    return ExitCodes.OK;
  }
}

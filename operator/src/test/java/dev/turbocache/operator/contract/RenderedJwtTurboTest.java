package dev.turbocache.operator.contract;

import static dev.turbocache.operator.contract.UserSecrets.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.JwtAuthSpec;
import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.e2e.FixtureRepo;
import dev.turbocache.server.e2e.TurboCli;
import dev.turbocache.server.e2e.TurboInstallation;
import dev.turbocache.server.e2e.TurboSummary;
import dev.turbocache.server.testing.TestOidcIssuer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.auth.jwt} end to end: the server started from what the operator renders for a
 * TurboCache with the GitHub Actions rules (trusting a loopback OIDC issuer instead of GitHub's)
 * lets the real turbo CLI, given a job's identity token as its token, upload from the main
 * branch and read from a pull request, and refuses a job that no rule names.
 */
class RenderedJwtTurboTest {
  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  @Test
  void aJobsTokenGetsWhatTheRenderedRulesGrant(@TempDir Path tmp) throws Exception {
    try (TestOidcIssuer issuer = TestOidcIssuer.start()) {
      TurboCache cr = TestResources.minimal();
      JwtAuthSpec jwt = TestResources.githubActionsJwt();
      jwt.issuers.getFirst().issuer = issuer.issuer();
      jwt.issuers.getFirst().audiences = List.of(TestOidcIssuer.AUDIENCE);
      cr.getSpec().auth.jwt = jwt;
      RenderedPod pod = RenderedPod.of(cr, tmp.resolve("pod"));

      try (CacheServer server = CacheServer.start(pod.load())) {
        String api = "http://127.0.0.1:" + server.port();
        FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo"));
        TurboCli main = turbo(repo, tmp, api,
            issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build()));
        TurboSummary cold = RenderedServerTurboTest.build(main);
        assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());

        repo.wipeLocalState();
        TurboCli pullRequest = turbo(repo, tmp, api,
            issuer.sign(issuer.githubClaims("acme", "app", "refs/pull/7/merge", "pull_request").build()));
        TurboSummary warm = RenderedServerTurboTest.build(pullRequest);
        assertThat(warm.hashes()).containsExactlyInAnyOrderElementsOf(cold.hashes());
        assertThat(warm.tasks()).allSatisfy(t -> assertThat(t.isRemoteHit()).as("%s", t).isTrue());

        repo.wipeLocalState();
        TurboCli stranger = turbo(repo, tmp, api,
            issuer.sign(issuer.githubClaims("mallory", "app", "refs/heads/main", "push").build()));
        TurboCli.Result refused = stranger.run("run", "build", "--summarize");
        assertThat(refused.exitCode()).as("%s", refused).isZero();
        assertThat(refused.output()).as("turbo reports the refusal").contains("403");
        assertThat(refused.summary().tasks()).as("%s", refused)
            .allSatisfy(t -> assertThat(t.isRemoteHit()).as("%s", t).isFalse());
      }
    }
  }

  private static TurboCli turbo(FixtureRepo repo, Path tmp, String api, String token) {
    return new TurboCli(repo.root(), tmp.resolve("turbo-home")).remote(api, token, TEAM);
  }
}

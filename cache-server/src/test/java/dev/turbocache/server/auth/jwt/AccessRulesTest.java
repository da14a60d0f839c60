package dev.turbocache.server.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.JwtRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
  /** The GitHub Actions example of docs/configuration.md. */
  static final List<JwtRule> GITHUB = List.of(
      new JwtRule(Map.of("repository_owner", "acme", "ref", "refs/heads/main"), List.of("acme"), "readwrite"),
      new JwtRule(Map.of("repository_owner", "acme", "event_name", "pull_request"), List.of("acme"), "read"));

  static JWTClaimsSet github(String owner, String ref, String event) {
    return new JWTClaimsSet.Builder().subject("repo:" + owner + "/app:ref:" + ref)
        .claim("repository_owner", owner).claim("repository", owner + "/app")
        .claim("ref", ref).claim("event_name", event).build();
  }

  private static AccessRule.Grant evaluate(List<JwtRule> rules, JWTClaimsSet claims) {
    return AccessRules.of(rules, "test").evaluate(claims);
  }

  @Test
  void theGithubActionsExample() {
    assertThat(evaluate(GITHUB, github("acme", "refs/heads/main", "push")))
        .isEqualTo(new AccessRule.Grant.Teams(Set.of("acme"), AccessLevel.READWRITE));
    assertThat(evaluate(GITHUB, github("acme", "refs/pull/3/merge", "pull_request")))
        .isEqualTo(new AccessRule.Grant.Teams(Set.of("acme"), AccessLevel.READ));
    assertThat(evaluate(GITHUB, github("acme", "refs/heads/feature", "push")))
        .as("a push to another branch matches no rule").isInstanceOf(AccessRule.Grant.Refused.class);
    assertThat(evaluate(GITHUB, github("mallory", "refs/heads/main", "push")))
        .isInstanceOf(AccessRule.Grant.Refused.class);
  }

  @Test
  void theFirstMatchingRuleWinsEvenIfALaterOneGrantsMore() {
    List<JwtRule> rules = List.of(
        new JwtRule(Map.of("event_name", "pull_request"), List.of("acme"), "read"),
        new JwtRule(Map.of("repository_owner", "acme"), List.of("acme"), "admin"));
    assertThat(evaluate(rules, github("acme", "refs/heads/main", "pull_request")))
        .isEqualTo(new AccessRule.Grant.Teams(Set.of("acme"), AccessLevel.READ));
  }

  @Test
  void globsListsNumbersAndListClaims() {
    List<JwtRule> rules = List.of(new JwtRule(Map.of(
        "repository", List.of("acme/*", "web/site"), "ref", "refs/heads/release-?", "run_attempt", 1,
        "groups", "ops"), List.of("acme"), "read"));
    JWTClaimsSet base = new JWTClaimsSet.Builder().claim("repository", "acme/deep/app")
        .claim("ref", "refs/heads/release-7").claim("run_attempt", 1).claim("groups", List.of("dev", "ops")).build();
    assertThat(evaluate(rules, base)).isInstanceOf(AccessRule.Grant.Teams.class);
    assertThat(evaluate(rules, new JWTClaimsSet.Builder(base).claim("ref", "refs/heads/release-10").build()))
        .as("? is one character").isInstanceOf(AccessRule.Grant.Refused.class);
    assertThat(evaluate(rules, new JWTClaimsSet.Builder(base).claim("repository", "acmex/app").build()))
        .isInstanceOf(AccessRule.Grant.Refused.class);
    assertThat(evaluate(rules, new JWTClaimsSet.Builder(base).claim("groups", List.of("dev")).build()))
        .isInstanceOf(AccessRule.Grant.Refused.class);
    assertThat(evaluate(rules, new JWTClaimsSet.Builder(base).claim("run_attempt", null).build()))
        .as("a missing claim never matches").isInstanceOf(AccessRule.Grant.Refused.class);
    assertThat(evaluate(List.of(new JwtRule(Map.of("repository", "a.c"), List.of("x"), "read")),
        new JWTClaimsSet.Builder().claim("repository", "abc").build()))
        .as("only * and ? are wildcards").isInstanceOf(AccessRule.Grant.Refused.class);
  }

  @Test
  void teamsFromTemplatesMustBeValidTeamNames() {
    List<JwtRule> rules = List.of(new JwtRule(Map.of(), List.of("gh-{repository_owner}", "shared"), "read"));
    assertThat(evaluate(rules, github("acme", "refs/heads/main", "push")))
        .isEqualTo(new AccessRule.Grant.Teams(Set.of("gh-acme", "shared"), AccessLevel.READ));
    assertThat(evaluate(rules, github("../etc", "refs/heads/main", "push")))
        .as("a claim cannot reach outside the team namespace").isInstanceOf(AccessRule.Grant.Refused.class);
    assertThat(evaluate(rules, new JWTClaimsSet.Builder().subject("x").build()))
        .as("a missing claim").isInstanceOf(AccessRule.Grant.Refused.class);
    assertThatThrownBy(() -> AccessRules.of(List.of(new JwtRule(Map.of(), List.of("a/{b}"), "read")), "r"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("a/{b}");
  }
}

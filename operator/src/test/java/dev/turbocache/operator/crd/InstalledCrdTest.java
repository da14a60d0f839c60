package dev.turbocache.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.model.SettableClock;
import dev.turbocache.operator.status.Warning;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InstalledCrdTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static JSONSchemaProps object(Map<String, JSONSchemaProps> properties) {
    return new JSONSchemaPropsBuilder().withType("object").withProperties(properties).build();
  }

  static JSONSchemaProps string() {
    return new JSONSchemaPropsBuilder().withType("string").build();
  }

  static JSONSchemaProps list(JSONSchemaProps items) {
    return new JSONSchemaPropsBuilder().withType("array").withNewItems().withSchema(items).endItems().build();
  }

  /** spec.auth.jwt with issuers[].rules and revokedTokenIds, or less of it. */
  static CrdFields schema(boolean rules, boolean revoked, boolean jwt) {
    Map<String, JSONSchemaProps> issuer = rules ? Map.of("issuer", string(), "rules", list(string())) : Map.of("issuer", string());
    Map<String, JSONSchemaProps> jwtFields = revoked
        ? Map.of("issuers", list(object(issuer)), "revokedTokenIds", list(string()))
        : Map.of("issuers", list(object(issuer)));
    Map<String, JSONSchemaProps> auth = jwt ? Map.of("tokensSecretRef", string(), "jwt", object(jwtFields))
        : Map.of("tokensSecretRef", string());
    return CrdFields.of(object(Map.of("spec", object(Map.of("auth", object(auth))))));
  }

  @Test
  void fieldsAreNamedByPathWithListElementsUnderBrackets() {
    assertThat(schema(true, true, true).paths()).containsExactly("spec", "spec.auth", "spec.auth.jwt",
        "spec.auth.jwt.issuers", "spec.auth.jwt.issuers[].issuer", "spec.auth.jwt.issuers[].rules",
        "spec.auth.jwt.revokedTokenIds", "spec.auth.tokensSecretRef");
  }

  @Test
  void onlyTheOutermostMissingFieldsAreNamed() {
    CrdFields current = schema(true, true, true);
    assertThat(current.missingFrom(current)).isEmpty();
    assertThat(current.missingFrom(schema(false, false, true)))
        .containsExactly("spec.auth.jwt.issuers[].rules", "spec.auth.jwt.revokedTokenIds");
    assertThat(current.missingFrom(schema(true, true, false))).containsExactly("spec.auth.jwt");
    assertThat(schema(false, false, false).missingFrom(current)).as("fields only the cluster's CRD has").isEmpty();
  }

  @Test
  void anOutdatedCrdIsAWarningThatNamesWhatItLacksAndTheFix() {
    CrdObservation outdated = CrdObservation.missing(List.of("a", "b", "c", "d", "e", "f", "g"));
    assertThat(outdated.outdated()).isTrue();
    assertThat(outdated.condition()).isEmpty();
    assertThat(outdated.recheckAfter()).contains(InstalledCrd.TTL);
    assertThat(outdated.warnings()).extracting(Warning::reason).containsExactly(CrdObservation.OUTDATED);
    assertThat(outdated.warnings().get(0).message())
        .contains("lacks a, b, c, d, e and 2 more").contains("kubectl apply --server-side -f crds/");

    CrdObservation current = CrdObservation.missing(List.of());
    assertThat(current.warnings()).isEmpty();
    assertThat(current.recheckAfter()).isEmpty();
    assertThat(CrdObservation.UNKNOWN.warnings()).as("a CRD the operator may not read").isEmpty();
  }

  @Test
  void theInstalledCrdIsAskedAgainOnlyOnceTheAnswerIsOlderThanTheTtl() {
    SettableClock clock = new SettableClock(NOW);
    List<Boolean> asked = new ArrayList<>();
    AtomicReference<CrdFields> installed = new AtomicReference<>(schema(false, false, true));
    InstalledCrd crd = new InstalledCrd(clock, schema(true, true, true), client -> {
      asked.add(true);
      return Optional.of(installed.get());
    });
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      assertThat(crd.observe(client).outdated()).isTrue();
      installed.set(schema(true, true, true));
      clock.set(NOW.plus(InstalledCrd.TTL).minusSeconds(1));
      assertThat(crd.observe(client).outdated()).as("within the TTL").isTrue();
      clock.set(NOW.plus(InstalledCrd.TTL));
      assertThat(crd.observe(client).outdated()).as("asked again").isFalse();
      assertThat(asked).hasSize(2);
    }
  }

  @Test
  void theOperatorsOwnCrdDeclaresItsFields() {
    CrdObservation ownAgainstItself = CrdObservation.missing(InstalledCrd.builtWithFields()
        .missingFrom(InstalledCrd.builtWithFields()));
    assertThat(ownAgainstItself.outdated()).isFalse();
    assertThat(InstalledCrd.builtWithFields().paths())
        .contains("spec.auth.jwt.revokedTokenIds", "spec.server.ingress.annotations", "status.conditions");
  }
}

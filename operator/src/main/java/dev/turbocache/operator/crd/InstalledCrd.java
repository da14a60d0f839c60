package dev.turbocache.operator.crd;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.ReusedAnswers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster's TurboCache CRD declares every field of the CRD this operator was built
 * with (the one in its jar, which {@code crds/} and the Helm chart hold too). Helm installs a
 * chart's CRD only once and never upgrades it, so after {@code helm upgrade} the operator can be
 * newer than its CRD; the API server then drops the new fields from every TurboCache it stores,
 * and the operator never sees that they were set.
 */
public final class InstalledCrd {
  public static final String NAME = HasMetadata.getFullResourceName(TurboCache.class);
  /** How long an answer is reused: one GET per cluster per period, whatever the number of TurboCaches. */
  public static final Duration TTL = Duration.ofSeconds(10);
  private static final String BUILT_WITH = "/META-INF/fabric8/" + NAME + "-v1.yml";
  private static final Logger LOG = LoggerFactory.getLogger(InstalledCrd.class);
  private static final InstalledCrd SHARED = new InstalledCrd(Clock.systemUTC(), builtWith(), InstalledCrd::lookUp);

  /** How the installed CRD's fields are found out; empty when it cannot be read. */
  interface Lookup {
    Optional<CrdFields> fields(KubernetesClient client);
  }

  private final CrdFields expected;
  private final Lookup lookup;
  /** By cluster (the API server's URL). */
  private final ReusedAnswers<String, CrdObservation> answers;

  InstalledCrd(Clock clock, CrdFields expected, Lookup lookup) {
    this.expected = expected;
    this.lookup = lookup;
    this.answers = new ReusedAnswers<>(clock, TTL, (cluster, before, now) -> log(now));
  }

  public static InstalledCrd shared() {
    return SHARED;
  }

  /** What the installed CRD lacks, asked again once the last answer is older than the TTL. */
  public CrdObservation observe(KubernetesClient client) {
    return answers.get(client.getMasterUrl().toString(), () -> lookup.fields(client)
        .map(installed -> CrdObservation.missing(expected.missingFrom(installed)))
        .orElse(CrdObservation.UNKNOWN));
  }

  private static void log(CrdObservation observed) {
    if (observed.outdated()) {
      LOG.warn("{}", observed.warnings().get(0).message());
    } else if (observed.known()) {
      LOG.info("CRD {} declares every field of this operator's TurboCache", NAME);
    } else {
      LOG.warn("cannot read CRD {} to check that it declares every field of this operator's TurboCache (the"
          + " operator needs get on the customresourcedefinition {})", NAME, NAME);
    }
  }

  /** A CRD the operator may not read is not judged: it still works for the fields it has. */
  private static Optional<CrdFields> lookUp(KubernetesClient client) {
    try {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(NAME).get();
      return crd == null ? Optional.empty() : fields(crd);
    } catch (KubernetesClientException e) {
      // said once by log(UNKNOWN), not at every look
      LOG.debug("cannot read CRD {}: {}", NAME, e.getMessage());
      return Optional.empty();
    }
  }

  static Optional<CrdFields> fields(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().stream()
        .filter(v -> TurboCache.VERSION.equals(v.getName()))
        .map(CustomResourceDefinitionVersion::getSchema)
        .filter(Objects::nonNull)
        .map(s -> CrdFields.of(s.getOpenAPIV3Schema()))
        .findFirst();
  }

  /** The fields of the CRD in this operator's jar. */
  static CrdFields builtWithFields() {
    return SHARED.expected;
  }

  private static CrdFields builtWith() {
    try (InputStream in = InstalledCrd.class.getResourceAsStream(BUILT_WITH)) {
      if (in == null) {
        throw new IllegalStateException(BUILT_WITH + " is not on the class path (the build generates it)");
      }
      return fields(Serialization.unmarshal(in, CustomResourceDefinition.class))
          .orElseThrow(() -> new IllegalStateException(BUILT_WITH + " has no schema of " + TurboCache.VERSION));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.turbocache.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which package of the server may use which (docs/architecture.md draws the same picture). From
 * the bottom: {@code artifact} (keys, metadata, teams) and {@code config} know no other package;
 * {@code storage} and {@code auth} know only those; {@code http} is the plumbing every route
 * shares and knows no route; the route packages ({@code protocol}, {@code account}, {@code admin},
 * {@code health}) know neither each other nor the assembly, and share the counters of {@code
 * metrics}; {@code app} assembles them all, and only the CLI starts it.
 */
class ServerLayersTest {
  static final String ROOT = "dev.turbocache.server";
  static final List<String> PACKAGES = List.of("artifact", "config", "storage", "auth", "http",
      "protocol", "account", "admin", "health", "metrics", "logging", "app", "cli");
  static final List<String> ROUTES = List.of("protocol", "account", "admin", "health");
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  @Test
  void theCoreKnowsNoOtherPackage() {
    noClasses().that().resideInAPackage(pkg("artifact"))
        .should().dependOnClassesThat().resideInAnyPackage(allBut("artifact"))
        .check(classes);
    noClasses().that().resideInAPackage(pkg("config"))
        .should().dependOnClassesThat().resideInAnyPackage(allBut("config"))
        .check(classes);
  }

  @Test
  void storageAndAuthKnowOnlyTheCoreAndTheConfig() {
    noClasses().that().resideInAPackage(pkg("storage"))
        .should().dependOnClassesThat().resideInAnyPackage(allBut("storage", "artifact", "config"))
        .check(classes);
    noClasses().that().resideInAPackage(pkg("auth"))
        .should().dependOnClassesThat().resideInAnyPackage(allBut("auth", "artifact", "config"))
        .check(classes);
  }

  @Test
  void theHttpPlumbingKnowsNoRoute() {
    noClasses().that().resideInAPackage(pkg("http"))
        .should().dependOnClassesThat().resideInAnyPackage(
            packages(Stream.concat(ROUTES.stream(), Stream.of("metrics", "logging", "app", "cli"))))
        .check(classes);
  }

  @Test
  void routePackagesKnowNeitherEachOtherNorTheAssembly() {
    for (String routes : ROUTES) {
      noClasses().that().resideInAPackage(pkg(routes))
          .should().dependOnClassesThat().resideInAnyPackage(packages(Stream.concat(
              ROUTES.stream().filter(r -> !r.equals(routes)), Stream.of("logging", "app", "cli"))))
          .check(classes);
    }
    noClasses().that().resideInAPackage(pkg("metrics"))
        .should().dependOnClassesThat().resideInAnyPackage(allBut("metrics"))
        .check(classes);
  }

  @Test
  void onlyTheCliStartsTheServer() {
    noClasses().that().resideOutsideOfPackages(pkg("app"), pkg("cli"))
        .should().dependOnClassesThat().resideInAPackage(pkg("app"))
        .check(classes);
    noClasses().that().resideOutsideOfPackage(pkg("cli"))
        .should().dependOnClassesThat().resideInAPackage(pkg("cli"))
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  private static String pkg(String name) {
    return ROOT + "." + name + "..";
  }

  private static String[] packages(Stream<String> names) {
    return names.map(ServerLayersTest::pkg).toArray(String[]::new);
  }

  /** Every server package except {@code allowed}. */
  private static String[] allBut(String... allowed) {
    return packages(PACKAGES.stream().filter(p -> !List.of(allowed).contains(p)));
  }
}

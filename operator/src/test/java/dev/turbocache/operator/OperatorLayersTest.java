package dev.turbocache.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which package of the operator may use which. The CR model ({@code api}) and the shared pure model
 * ({@code model}) know nothing of JOSDK or of the components; {@code status} combines component
 * observations without knowing the components; a component never reaches into another one's
 * children, except that the redis tier reads what the server observed of its Secrets and monitoring
 * the cache servers' metrics port; only the assembly uses the controller.
 */
class OperatorLayersTest {
  static final String ROOT = "dev.turbocache.operator";
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
  }

  @Test
  void theCrModelHasNoLogicDependencies() {
    noClasses().that().resideInAPackage(ROOT + ".api..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javaoperatorsdk..", ROOT + ".model..", ROOT + ".dependent..",
            ROOT + ".status..", ROOT + ".server..", ROOT + ".redis..", ROOT + ".bucket..", ROOT + ".monitoring..", ROOT + ".controller..")
        .check(classes);
  }

  @Test
  void theSharedModelKnowsNoComponentAndNoJosdk() {
    noClasses().that().resideInAPackage(ROOT + ".model..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javaoperatorsdk..", ROOT + ".dependent..", ROOT + ".status..",
            ROOT + ".server..", ROOT + ".redis..", ROOT + ".bucket..", ROOT + ".monitoring..", ROOT + ".controller..")
        .check(classes);
  }

  @Test
  void statusAggregationKnowsNoComponent() {
    noClasses().that().resideInAPackage(ROOT + ".status..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".server..", ROOT + ".redis..", ROOT + ".bucket..",
            ROOT + ".monitoring..", ROOT + ".controller..", ROOT + ".dependent..")
        .check(classes);
  }

  @Test
  void componentsStayApart() {
    noClasses().that().resideInAPackage(ROOT + ".server..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".redis..", ROOT + ".bucket..", ROOT + ".monitoring..",
            ROOT + ".controller..")
        .check(classes);
    noClasses().that().resideInAPackage(ROOT + ".bucket..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".redis..", ROOT + ".monitoring..", ROOT + ".controller..")
        .check(classes);
    noClasses().that().resideInAPackage(ROOT + ".redis..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".bucket..", ROOT + ".monitoring..", ROOT + ".controller..")
        .check(classes);
    noClasses().that().resideInAPackage(ROOT + ".crd..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".server..", ROOT + ".redis..", ROOT + ".bucket..",
            ROOT + ".monitoring..", ROOT + ".controller..", ROOT + ".dependent..")
        .check(classes);
    // monitoring watches the cache servers (their metrics Service) and nothing else of another component
    noClasses().that().resideInAPackage(ROOT + ".monitoring..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".redis..", ROOT + ".bucket..", ROOT + ".controller..")
        .check(classes);
  }

  @Test
  void onlyTheAssemblyUsesTheController() {
    noClasses().that().resideOutsideOfPackages(ROOT, ROOT + ".controller..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".controller..")
        .check(classes);
  }
}

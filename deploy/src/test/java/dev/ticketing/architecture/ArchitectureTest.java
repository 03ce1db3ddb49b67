package dev.ticketing.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import dev.ticketing.command.inventory.TierInventory;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static com.tngtech.archunit.base.DescribedPredicate.anyElementThat;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Module rules Maven's module dependencies cannot hold (packages inside a module, a pom that gains a dependency). */
class ArchitectureTest {

    private static final String COMMAND_SIDE = "dev.ticketing.command..";
    private static final String QUERY_SIDE = "dev.ticketing.query..";
    private static final String PAYMENT = "dev.ticketing.command.payment";
    private static final String STRIPE = "com.stripe..";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ticketing");

    @Test
    void commandAndQuerySidesDoNotUseEachOther() {
        check(CompositeArchRule
                .of(noClasses().that().resideInAPackage(COMMAND_SIDE)
                        .should().dependOnClassesThat().resideInAPackage(QUERY_SIDE))
                .and(noClasses().that().resideInAPackage(QUERY_SIDE)
                        .should().dependOnClassesThat().resideInAPackage(COMMAND_SIDE)));
    }

    @Test
    void sharedApiAndPlatformDoNotUseEitherSide() {
        check(noClasses().that().resideInAnyPackage("dev.ticketing.api..", "dev.ticketing.platform..")
                .should().dependOnClassesThat().resideInAnyPackage(COMMAND_SIDE, QUERY_SIDE));
    }

    @Test
    void onlyThePaymentPackageTalksToStripe() {
        check(noClasses().that().resideOutsideOfPackage(PAYMENT)
                .should().dependOnClassesThat().resideInAPackage(STRIPE));
    }

    /** The aggregate decides from its commands, events and deadlines alone, so it replays and tests without a context. */
    @Test
    void tierInventoryUsesNoFrameworkStoreStripeNorClock() {
        check(CompositeArchRule
                .of(noClasses().that().belongToAnyOf(TierInventory.class)
                        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", STRIPE,
                                "jakarta.persistence..", "java.sql..", "javax.sql.."))
                .and(noClasses().that().belongToAnyOf(TierInventory.class)
                        .should().callMethodWhere(target(name("now")).and(target(owner(resideInAPackage("java.time")))))
                        .orShould().callMethod(System.class, "currentTimeMillis"))
                .and(noFields().that().areDeclaredInClassesThat().belongToAnyOf(TierInventory.class)
                        .should().haveRawType(Clock.class))
                .and(noCodeUnits().that().areDeclaredInClassesThat().belongToAnyOf(TierInventory.class)
                        .should().haveRawParameterTypes(anyElementThat(equivalentTo(Clock.class))))
                .as("TierInventory should use no Spring, Stripe, JPA nor JDBC, read no clock (java.time's now,"
                        + " System.currentTimeMillis) and hold or take no java.time.Clock"));
    }

    /** One slice per package: a cycle between any two packages fails, wherever in the tree they are. */
    @Test
    void packagesAreFreeOfCycles() {
        check(slices().matching("dev.ticketing.(**)").should().beFreeOfCycles());
    }

    private static void check(ArchRule rule) {
        rule.check(PRODUCTION);
    }
}

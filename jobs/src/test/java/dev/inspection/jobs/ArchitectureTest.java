package dev.inspection.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.inspection.detect.Detector;
import org.junit.jupiter.api.Test;

/** The packages' dependencies, checked on the compiled classes of both modules (tests excluded). */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.inspection");

    /** Each package a slice of its own, a parent package apart from its subpackages. */
    static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "each package";
        }
    };

    @Test
    void noPackageCycles() {
        assertThat(CLASSES.contain(InspectionJob.class) && CLASSES.contain(Detector.class))
                .as("both modules' classes imported")
                .isTrue();
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void commonNeverUsesTheJobs() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.inspection.jobs..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.inspection.jobs..")
                .check(CLASSES);
    }
}

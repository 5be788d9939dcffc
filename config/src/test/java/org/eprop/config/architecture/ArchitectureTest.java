package org.eprop.config.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the product, enforced: the modules depend one way ({@code learning <- envs <- agent
 * <- supervised <- config}), no package depends on itself through others, and library code
 * neither ends the JVM nor has entry points (only the command line does) nor reads data from a
 * path written into it. The main classes of every module are on this module's test classpath.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.eprop.learning", "org.eprop.envs", "org.eprop.agent", "org.eprop.supervised",
                        "org.eprop.config");
    }

    @Test
    void everyModuleIsImported() {
        for (String module : List.of("learning", "envs", "agent", "supervised", "config")) {
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith("org.eprop." + module)),
                    "no classes of module " + module + " found: the rule below would pass vacuously");
        }
    }

    @Test
    void modulesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("learning").definedBy("org.eprop.learning..")
                .layer("envs").definedBy("org.eprop.envs..")
                .layer("agent").definedBy("org.eprop.agent..")
                .layer("supervised").definedBy("org.eprop.supervised..")
                .layer("config").definedBy("org.eprop.config..")
                .whereLayer("config").mayNotBeAccessedByAnyLayer()
                .whereLayer("supervised").mayOnlyBeAccessedByLayers("config")
                .whereLayer("agent").mayOnlyBeAccessedByLayers("supervised", "config")
                .whereLayer("envs").mayOnlyBeAccessedByLayers("agent", "supervised", "config")
                .whereLayer("learning").mayOnlyBeAccessedByLayers("envs", "agent", "supervised", "config")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.eprop.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheCommandLineEndsTheProcess() {
        noClasses().that().resideOutsideOfPackage("org.eprop.config.cli..")
                .should().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "halt", int.class)
                .because("library code reports failures to its caller; only the eprop command line picks an exit "
                        + "code")
                .check(classes);
    }

    /**
     * One exception: the child JVM in which the ALE backend tries a ROM that is not a known dump
     * ({@code org.eprop.envs.ale.RomProbe}), because only a separate process can be stopped when
     * ALE hangs in native code. It ends by returning from main; the library code that starts it
     * reads its verdict and ends it, and reports to its caller like any other library code.
     */
    @Test
    void onlyTheCommandLineHasAMainMethod() {
        methods().that().haveName("main").and().areStatic().and().arePublic()
                .and().areDeclaredInClassesThat().doNotHaveFullyQualifiedName("org.eprop.envs.ale.RomProbe")
                .should().beDeclaredInClassesThat().resideInAPackage("org.eprop.config.cli..")
                .because("entry points belong to the application: eprop <command>")
                .check(classes);
    }

    /** Paths outside the repository (the developers' data and notes folder), spelled in pieces here. */
    private static final List<String> FORBIDDEN = List.of(String.join("/", "shared", "data"),
            String.join("/", "shared", "refer" + "ence"), String.join("/", "shared", "design"));

    /** Data (ROMs, corpora) is found through config keys, environment variables and search paths. */
    @Test
    void noDataPathIsWrittenIntoMainCode() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> found = new ArrayList<>();
        for (String module : List.of("learning", "envs", "agent", "supervised", "config")) {
            Path sources = root.resolve(module).resolve("src/main");
            assertTrue(Files.isDirectory(sources), sources.toString());
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (FORBIDDEN.stream().anyMatch(line::contains)) {
                            found.add(root.relativize(f) + ":" + (i + 1) + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "data paths or reference files outside the repository in main code");
    }
}

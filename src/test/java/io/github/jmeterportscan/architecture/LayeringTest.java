package io.github.jmeterportscan.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages form layers, each using only those below it: spec, result, probe, link, scan,
 * discovery and trace (side by side), report, and the two front ends cli and jmeter on top. The core runs without JMeter and without the
 * CLI; only the jmeter package knows JMeter.
 */
@AnalyzeClasses(packages = "io.github.jmeterportscan", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    @ArchTest
    static final ArchRule ONLY_THE_JMETER_PACKAGE_IMPORTS_JMETER = noClasses()
            .that().resideOutsideOfPackage("io.github.jmeterportscan.jmeter..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.jmeter..")
            .because("the scanner core and the CLI must run without JMeter on the classpath");

    @ArchTest
    static final ArchRule THE_CORE_NEVER_USES_THE_CLI = noClasses()
            .that().resideOutsideOfPackage("io.github.jmeterportscan.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.github.jmeterportscan.cli..")
            .because("the CLI is a front end over the core, like the JMeter sampler");

    @ArchTest
    static final ArchRule RESULTS_AND_SPECS_ARE_PURE_VALUES = noClasses()
            .that().resideInAnyPackage("io.github.jmeterportscan.result..", "io.github.jmeterportscan.spec..")
            .should().dependOnClassesThat().resideInAnyPackage("io.github.jmeterportscan.scan..",
                    "io.github.jmeterportscan.link..", "io.github.jmeterportscan.probe..", "org.pcap4j..",
                    "com.sun.jna..")
            .because("what to scan and what was found do not depend on how packets are sent");

    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.github.jmeterportscan.(*)..")
            .should().beFreeOfCycles()
            .because("a package that imports one above it cannot be understood, tested or replaced alone");

    @ArchTest
    static final ArchRule PACKAGES_ARE_LAYERED = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("spec").definedBy("io.github.jmeterportscan.spec..")
            .layer("result").definedBy("io.github.jmeterportscan.result..")
            .layer("probe").definedBy("io.github.jmeterportscan.probe..")
            .layer("link").definedBy("io.github.jmeterportscan.link..")
            .layer("scan").definedBy("io.github.jmeterportscan.scan..")
            .layer("discovery").definedBy("io.github.jmeterportscan.discovery..")
            .layer("trace").definedBy("io.github.jmeterportscan.trace..")
            .layer("report").definedBy("io.github.jmeterportscan.report..")
            .layer("cli").definedBy("io.github.jmeterportscan.cli..")
            .layer("jmeter").definedBy("io.github.jmeterportscan.jmeter..")
            .whereLayer("jmeter").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("report").mayOnlyBeAccessedByLayers("cli", "jmeter")
            .whereLayer("trace").mayOnlyBeAccessedByLayers("cli", "jmeter")
            .whereLayer("discovery").mayOnlyBeAccessedByLayers("cli", "jmeter")
            .whereLayer("scan").mayOnlyBeAccessedByLayers("discovery", "trace", "cli", "jmeter")
            .whereLayer("link").mayOnlyBeAccessedByLayers("scan", "discovery", "trace", "cli", "jmeter")
            .whereLayer("probe").mayOnlyBeAccessedByLayers("link", "scan", "discovery", "trace", "cli", "jmeter")
            .whereLayer("result").mayOnlyBeAccessedByLayers("probe", "link", "scan", "discovery", "trace", "report",
                    "cli", "jmeter")
            .because("dependencies point down spec, result, probe, link, scan, discovery/trace, report, cli/jmeter");
}

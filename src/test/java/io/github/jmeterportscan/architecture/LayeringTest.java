package io.github.jmeterportscan.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The core runs without JMeter and without the CLI; only the jmeter package knows JMeter. */
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
}

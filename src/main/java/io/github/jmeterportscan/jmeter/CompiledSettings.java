package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.scan.OutOfScopeException;
import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.scan.TargetGuard;
import io.github.jmeterportscan.spec.HostResolver;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ParsedCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.Scope;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.TargetExpander;
import io.github.jmeterportscan.spec.TargetExpansion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A sampler clone's fields compiled into the scan they describe: command line, parse, target
 * expansion, expected states. JMeter sets the fields before every sample, mostly to the same
 * values, so each step is redone only when its input changed; everything that nmap redoes per run
 * (reading -iL and --excludefile files, resolving names) is redone per sample. A clone is sampled
 * by one thread, so this takes no lock.
 */
final class CompiledSettings {
    /** Option words that make the parser read a file (long options may be abbreviated). */
    private static final Pattern READS_FILES = Pattern.compile("--?(i|excludef)");

    /** A sample's scan, ready to run: admitted targets, with the notes to show for it. */
    record Prepared(ScanRequest request, List<Target> targets, List<String> messages, ExpectationMatrix expected,
            Granularity granularity, ServiceTable services) {
    }

    private ScanSettings argumentsOf;
    private List<String> arguments;
    private String samplerData;
    private List<String> parsedArgs;
    private ParsedCommandLine parsed;
    private ScanRequest expandedRequest;
    private TargetExpansion expansion;
    private String expectedText;
    private ExpectationMatrix expected;

    /**
     * Compiles the fields into a scan the engine admits.
     *
     * @param samplerData receives the command line's text as soon as it is known, so that a sample
     *     that fails afterwards still shows what it ran
     * @throws ScanSpecException when a field does not parse, with nmap's message
     * @throws OutOfScopeException when a target is outside the scope: nothing may be sent
     */
    Prepared prepare(ScanSettings settings, String expectedStates, String granularity, Consumer<String> samplerData)
            throws ScanSpecException, OutOfScopeException {
        ServiceTable services = ServiceTable.system();
        Granularity perSample = Granularity.parse(granularity);
        ExpectationMatrix expectation = expectations(expectedStates, services);
        List<String> args = arguments(settings);
        samplerData.accept(this.samplerData);
        ParsedCommandLine commandLine = parse(services, args);
        if (commandLine.action() != ParsedCommandLine.Action.SCAN) {
            throw new ScanSpecException("-h and -V print information and do not describe a scan");
        }
        ScanRequest asParsed = commandLine.request().orElseThrow();
        if (asParsed.targets().isEmpty()) {
            throw new ScanSpecException("No targets: fill in Targets (or name them in the nmap options)");
        }
        Optional<Scope> engineScope = ScopeProperty.scope();
        ScanRequest request = engineScope.isPresent() ? asParsed.withScope(engineScope.get()) : asParsed;
        TargetExpansion expanded = expand(asParsed);
        if (!expanded.failures().isEmpty()) {
            throw new ScanSpecException(expanded.failures().stream().map(TargetExpansion.Failure::message)
                    .collect(Collectors.joining("; ")));
        }
        if (expanded.targets().isEmpty()) {
            throw new ScanSpecException(TargetExpansion.NO_TARGETS_WARNING);
        }
        TargetGuard.Admission admission = ScanEngines.standard().admit(request, expanded.targets());
        Optional<OutOfScopeException> refused = admission.refusal();
        if (refused.isPresent()) {
            throw refused.get();
        }
        List<String> messages = new ArrayList<>(commandLine.warnings());
        messages.addAll(expanded.messages());
        messages.addAll(admission.warnings());
        return new Prepared(request, admission.admitted(), messages, expectation, perSample, services);
    }

    /** The command line the fields stand for, made again only when a field changed. */
    private List<String> arguments(ScanSettings now) throws ScanSpecException {
        if (!now.equals(argumentsOf)) {
            List<String> fresh = List.copyOf(now.toArguments());
            samplerData = PortScanSampler.PROGRAM + " " + String.join(" ", fresh);
            arguments = fresh;
            argumentsOf = now;
        }
        return arguments;
    }

    /**
     * The parsed command line, reused while the arguments stay the same. Options that read files
     * (-iL, --excludefile, and everything else starting with -i) are parsed afresh each time so
     * that the files are read when the sample runs, as nmap reads them per run.
     */
    private ParsedCommandLine parse(ServiceTable services, List<String> args) throws ScanSpecException {
        if (args.equals(parsedArgs)) {
            return parsed;
        }
        ParsedCommandLine fresh = new NmapCommandLine(services, PortScanSampler.PROGRAM).parseCommandLine(args);
        boolean readsFiles = args.stream().anyMatch(arg -> READS_FILES.matcher(arg).lookingAt());
        parsedArgs = readsFiles ? null : args;
        parsed = readsFiles ? null : fresh;
        return fresh;
    }

    /**
     * The request's targets, reused while the request is the same one (see {@link #parse}) and its
     * expansion needed no name resolution: addresses and ranges expand the same every time, while
     * a name is looked up again for every sample, as nmap looks it up for every run.
     */
    private TargetExpansion expand(ScanRequest request) throws ScanSpecException {
        if (request == expandedRequest) {
            return expansion;
        }
        boolean[] resolvedAName = {false};
        HostResolver noting = name -> {
            resolvedAName[0] = true;
            return HostResolver.SYSTEM.resolve(name);
        };
        TargetExpansion fresh = new TargetExpander(noting, TargetExpander.DEFAULT_MAX_ADDRESSES).expand(request);
        expandedRequest = resolvedAName[0] ? null : request;
        expansion = resolvedAName[0] ? null : fresh;
        return fresh;
    }

    private ExpectationMatrix expectations(String text, ServiceTable services) throws ScanSpecException {
        if (!text.equals(expectedText)) {
            expected = ExpectationMatrix.parse(text, services);
            expectedText = text;
        }
        return expected;
    }
}

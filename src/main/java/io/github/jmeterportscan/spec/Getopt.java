package io.github.jmeterportscan.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The command-line tokenizer nmap uses: glibc's getopt_long_only with nmap 7.93's option table.
 * That means long options may be written with one dash ("-max-retries 2") or two, with "=value"
 * or a separate argument, and abbreviated to any unambiguous prefix ("--top 10"); a single-dash
 * word that names no long option is read as bundled short options ("-Pn", "-sS", "-p22").
 * Operands (targets) may appear anywhere; "--" ends the options. Errors carry glibc's wording.
 */
final class Getopt {
    /** nmap's short options: letter, then ':' for a required and '::' for an optional value. */
    static final String SHORT_OPTIONS = "46Ab:D:d::e:Ffg:hIi:M:m:nO::o:P::p:qRrS:s::T:Vv::";

    /** nmap 7.93's long options in table order (matters for the ambiguity message). N/R/O = argument none/required/optional. */
    private static final String[] LONG_OPTIONS = {
        "version:N",
        "verbose:N",
        "datadir:R",
        "servicedb:R",
        "versiondb:R",
        "debug:O",
        "help:N",
        "iflist:N",
        "release-memory:N",
        "nogcc:N",
        "max-os-tries:R",
        "max-parallelism:R",
        "min-parallelism:R",
        "timing:R",
        "max-rtt-timeout:R",
        "min-rtt-timeout:R",
        "initial-rtt-timeout:R",
        "excludefile:R",
        "exclude:R",
        "max-hostgroup:R",
        "min-hostgroup:R",
        "open:N",
        "scanflags:R",
        "defeat-rst-ratelimit:N",
        "defeat-icmp-ratelimit:N",
        "host-timeout:R",
        "scan-delay:R",
        "max-scan-delay:R",
        "max-retries:R",
        "oA:R",
        "oN:R",
        "oM:R",
        "oG:R",
        "oS:R",
        "oH:R",
        "oX:R",
        "iL:R",
        "iR:R",
        "sI:R",
        "source-port:R",
        "randomize-hosts:N",
        "nsock-engine:R",
        "proxies:R",
        "proxy:R",
        "discovery-ignore-rst:N",
        "osscan-limit:N",
        "osscan-guess:N",
        "fuzzy:N",
        "packet-trace:N",
        "version-trace:N",
        "data:R",
        "data-string:R",
        "data-length:R",
        "send-eth:N",
        "send-ip:N",
        "stylesheet:R",
        "no-stylesheet:N",
        "webxml:N",
        "rH:N",
        "vv:N",
        "ff:N",
        "privileged:N",
        "unprivileged:N",
        "mtu:R",
        "append-output:N",
        "noninteractive:N",
        "spoof-mac:R",
        "thc:N",
        "badsum:N",
        "ttl:R",
        "traceroute:N",
        "reason:N",
        "allports:N",
        "version-intensity:R",
        "version-light:N",
        "version-all:N",
        "system-dns:N",
        "resolve-all:N",
        "unique:N",
        "log-errors:N",
        "deprecated-xml-osclass:N",
        "yoloscan:N",
        "dns-servers:R",
        "port-ratio:R",
        "exclude-ports:R",
        "top-ports:R",
        "script:R",
        "script-trace:N",
        "script-updatedb:N",
        "script-args:R",
        "script-args-file:R",
        "script-help:R",
        "script-timeout:R",
        "ip-options:R",
        "min-rate:R",
        "max-rate:R",
        "adler32:N",
        "stats-every:R",
        "disable-arp-ping:N",
        "route-dst:R",
        "resume:R",
        // This scanner's own options (not nmap's), after nmap's so its prefixes keep their meaning.
        "pcap:R",
        "scope:R",
    };

    /** Long options that nmap maps onto a short option letter. */
    private static String shortAlias(String longName) {
        switch (longName) {
            case "version":
                return "V";
            case "verbose":
                return "v";
            case "debug":
                return "d";
            case "help":
                return "h";
            case "max-parallelism":
                return "M";
            case "timing":
                return "T";
            case "source-port":
                return "g";
            default:
                return null;
        }
    }

    /**
     * One option occurrence.
     *
     * @param key     the short letter ("p") or the long name ("max-retries"); aliases resolved
     * @param value   the argument, or null when none was given
     * @param spelled how the user wrote the option, for messages ("-sU", "--script")
     */
    record Option(String key, String value, String spelled) {
    }

    /** Receives options and operands in command-line order; may stop the parse by throwing. */
    interface Handler {
        void option(Option option) throws ScanSpecException;

        void operand(String operand) throws ScanSpecException;
    }

    private final String program;

    Getopt(String program) {
        this.program = program;
    }

    void parse(List<String> args, Handler handler) throws ScanSpecException {
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i++);
            if (arg.equals("--")) {
                while (i < args.size()) {
                    handler.operand(args.get(i++));
                }
                return;
            }
            if (!arg.startsWith("-") || arg.length() == 1) {
                handler.operand(arg);
                continue;
            }
            boolean doubleDash = arg.startsWith("--");
            char first = arg.charAt(1);
            if (doubleDash || arg.length() > 2 || !isShort(first)) {
                String prefix = doubleDash ? "--" : "-";
                String body = arg.substring(prefix.length());
                Integer consumed = longOption(prefix, body, args, i, handler, !doubleDash && isShort(first));
                if (consumed != null) {
                    i += consumed;
                    continue;
                }
            }
            i = shortOptions(arg, args, i, handler);
        }
    }

    private static boolean isShort(char c) {
        return c != ':' && SHORT_OPTIONS.indexOf(c) >= 0;
    }

    /** Returns how many extra arguments were used, or null to fall back to short options. */
    private Integer longOption(String prefix, String body, List<String> args, int next, Handler handler,
            boolean mayBeShort) throws ScanSpecException {
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String found = null;
        for (String entry : LONG_OPTIONS) {
            if (entry.length() - 2 == name.length() && entry.startsWith(name)) {
                found = entry;
                break;
            }
        }
        if (found == null) {
            List<String> candidates = new ArrayList<>();
            for (String entry : LONG_OPTIONS) {
                if (entry.length() - 2 >= name.length() && entry.startsWith(name)) {
                    candidates.add(entry);
                }
            }
            if (candidates.size() > 1) {
                StringBuilder msg = new StringBuilder(program + ": option '" + prefix + body
                        + "' is ambiguous; possibilities:");
                for (String c : candidates) {
                    msg.append(" '").append(prefix).append(entryName(c)).append('\'');
                }
                throw usageError(msg.toString());
            }
            if (candidates.size() == 1) {
                found = candidates.get(0);
            }
        }
        if (found == null) {
            if (mayBeShort) {
                return null;
            }
            throw usageError(program + ": unrecognized option '" + prefix + body + "'");
        }
        String longName = entryName(found);
        char kind = found.charAt(found.length() - 1);
        String value = null;
        int used = 0;
        if (eq >= 0) {
            if (kind == 'N') {
                throw usageError(program + ": option '" + prefix + longName + "' doesn't allow an argument");
            }
            value = body.substring(eq + 1);
        } else if (kind == 'R') {
            if (next >= args.size()) {
                throw usageError(program + ": option '" + prefix + longName + "' requires an argument");
            }
            value = args.get(next);
            used = 1;
        }
        String alias = shortAlias(longName);
        handler.option(new Option(alias != null ? alias : longName, value, prefix + longName));
        return used;
    }

    private int shortOptions(String arg, List<String> args, int next, Handler handler) throws ScanSpecException {
        int pos = 1;
        while (pos < arg.length()) {
            char c = arg.charAt(pos++);
            int at = c == ':' ? -1 : SHORT_OPTIONS.indexOf(c);
            if (at < 0) {
                throw usageError(program + ": invalid option -- '" + c + "'");
            }
            boolean takes = at + 1 < SHORT_OPTIONS.length() && SHORT_OPTIONS.charAt(at + 1) == ':';
            boolean optional = takes && at + 2 < SHORT_OPTIONS.length() && SHORT_OPTIONS.charAt(at + 2) == ':';
            String key = String.valueOf(c);
            if (!takes) {
                handler.option(new Option(key, null, "-" + c));
                continue;
            }
            String rest = arg.substring(pos);
            if (!rest.isEmpty()) {
                handler.option(new Option(key, rest, "-" + c + rest));
                return next;
            }
            if (optional) {
                handler.option(new Option(key, null, "-" + c));
                return next;
            }
            if (next >= args.size()) {
                throw usageError(program + ": option requires an argument -- '" + c + "'");
            }
            handler.option(new Option(key, args.get(next), "-" + c));
            return next + 1;
        }
        return next;
    }

    private static String entryName(String entry) {
        return entry.substring(0, entry.length() - 2);
    }

    private static ScanSpecException usageError(String line) {
        return new ScanSpecException(line + "\nSee the output of nmap -h for a summary of options.");
    }
}

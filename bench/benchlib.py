#!/usr/bin/env python3
"""Helpers for bench/run: the lab's port plan (nft rules and the truth it implies), nmap-XML
comparison port by port, medians and the summary table, and the peak heap from a JFR file.

Everything the shell script needs that is awkward in bash lives here, so that the plan is
written once: the nft rule set and the truth used to judge the loss check come from the same
table below.

Subcommands (all print to stdout):
  nft                                   the lab's nftables rule set (loaded inside the namespace)
  truth ADDRESS PORTSPEC                expected "port state reason" lines for one lab address
  compare A.xml B.xml [--ignore PORTS]  port-by-port agreement of two scans: "agree" or "differ N/M ..."
  vs-truth TRUTH.txt X.xml              agreement of one scan with a truth file
  elapsed X.xml                         runstats/finished/@elapsed
  jfr-peak FILE.jfr                     MB before GC (peak), MB after GC (live), GC count
  median RAW.csv WORKLOAD TOOL [FACTOR] median scan time of one workload and tool, times FACTOR
  summary RAW.csv                       the markdown table of medians and ratios
  sweep-check X.xml CIDR PORTS          a W7 scan against the sweep lab's truth (every address: 7
                                        closed, 25 filtered, 31338 open); for masscan, open ports found
  sweep-summary RAW.csv                 the W7 table: ours against masscan and nmap
"""
import csv
import json
import re
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

# --- the lab ------------------------------------------------------------------------------------

LAB_V4 = "198.18.40."
LAB_V6 = "2001:db8:40::"
# host numbers inside the namespace: 2 = mixed ports, 3 = drops everything, 4-6 = mixed with random
# loss each way (LOSS), 7-9 = mixed behind a rate limit (IPv4 only), 16..31 = the /28 of mixed hosts
# for the multi-host workload
MIXED = 2
SILENT = 3
LOSS = {4: 20, 5: 5, 6: 40}
# every TCP segment the host sends (RSTs, SYN-ACKs): at most 200 a second, as BSD stacks limit RSTs
TCP_REPLY_LIMITED = 7
TCP_REPLIES_PER_SECOND = 200
# a firewall in front of the host that lets in at most 50 SYNs a second
SYN_LIMITED = 8
SYNS_PER_SECOND = 50
# ICMP errors at the kernel's default pace (one a second per destination after a burst of six), with
# ports 150-249 rejected by ICMP admin-prohibited on top of the mixed plan
ICMP_LIMITED = 9
ICMP_LIMITED_PORTS = range(150, 250)

OPEN_PORTS = [22, 80, 443, 8080]
DROPPED_PORTS = [81, 135, 139, 445, 8081]
# port -> (nft reject for IPv4, nmap reason), (nft reject for IPv6, nmap reason)
REJECTS = {
    82: (("icmp type port-unreachable", "port-unreach"), ("icmpv6 type port-unreachable", "port-unreach")),
    83: (("icmp type host-prohibited", "host-prohibited"), ("icmpv6 type admin-prohibited", "admin-prohibited")),
    84: (("icmp type admin-prohibited", "admin-prohibited"), ("icmpv6 type addr-unreachable", "addr-unreach")),
    85: (("icmp type net-unreachable", "net-unreach"), ("icmpv6 type no-route", "no-route")),
}
TCP_RESET_PORTS = [86]


def nft_ruleset():
    v4 = lambda n: LAB_V4 + str(n)
    v6 = lambda n: LAB_V6 + format(n, "x")
    lines = [
        "table inet psbench {",
        "  chain input {",
        "    type filter hook input priority filter; policy accept;",
    ]
    # loss first, so that it hits every kind of probe alike
    for host, percent in LOSS.items():
        lines.append(f"    ip daddr {v4(host)} numgen random mod 100 < {percent} drop")
        lines.append(f"    ip6 daddr {v6(host)} numgen random mod 100 < {percent} drop")
    lines += [
        f"    ip daddr {v4(SYN_LIMITED)} tcp flags & (syn | ack) == syn limit rate over {SYNS_PER_SECOND}/second drop",
        f"    ip daddr {v4(SILENT)} drop",
        f"    ip6 daddr {v6(SILENT)} drop",
        "    tcp dport { " + ", ".join(map(str, DROPPED_PORTS)) + " } drop",
        f"    ip daddr {v4(ICMP_LIMITED)} tcp dport {ICMP_LIMITED_PORTS.start}-{ICMP_LIMITED_PORTS.stop - 1}"
        " reject with icmp type admin-prohibited",
    ]
    for port, ((r4, _), (r6, _)) in REJECTS.items():
        lines.append(f"    meta nfproto ipv4 tcp dport {port} reject with {r4}")
        lines.append(f"    meta nfproto ipv6 tcp dport {port} reject with {r6}")
    for port in TCP_RESET_PORTS:
        lines.append(f"    tcp dport {port} reject with tcp reset")
    lines += [
        "  }",
        "  chain output {",
        "    type filter hook output priority filter; policy accept;",
    ]
    # the answers (SYN-ACK, RST, ICMP errors) leave through here: loss in both directions
    for host, percent in LOSS.items():
        lines.append(f"    ip saddr {v4(host)} numgen random mod 100 < {percent} drop")
        lines.append(f"    ip6 saddr {v6(host)} numgen random mod 100 < {percent} drop")
    lines += [
        f"    ip saddr {v4(TCP_REPLY_LIMITED)} meta l4proto tcp limit rate over {TCP_REPLIES_PER_SECOND}/second drop",
        # the lab lifts the kernel's ICMP limits; this puts its default back for one host
        f"    ip saddr {v4(ICMP_LIMITED)} icmp type destination-unreachable limit rate over 1/second burst 6 packets drop",
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def parse_ports(spec):
    ports = []
    for part in spec.split(","):
        if part == "-":
            ports.extend(range(1, 65536))
        elif "-" in part:
            lo, hi = part.split("-")
            ports.extend(range(int(lo or 1), int(hi or 65535) + 1))
        elif part:
            ports.append(int(part))
    return sorted(set(ports))


def truth(address, spec):
    ipv6 = ":" in address
    host = int(address.rsplit(":" if ipv6 else ".", 1)[1], 16 if ipv6 else 10)
    out = {}
    for port in parse_ports(spec):
        if host == SILENT:
            out[port] = ("filtered", "no-response")
        elif port in OPEN_PORTS:
            out[port] = ("open", "syn-ack")
        elif port in DROPPED_PORTS:
            out[port] = ("filtered", "no-response")
        elif host == ICMP_LIMITED and port in ICMP_LIMITED_PORTS:
            # an error the limit held back leaves the port filtered/no-response: right state, no reason
            out[port] = ("filtered", "admin-prohibited|no-response")
        elif port in REJECTS:
            reason = REJECTS[port][1 if ipv6 else 0][1]
            out[port] = ("filtered", reason + "|no-response" if host == ICMP_LIMITED else reason)
        else:
            out[port] = ("closed", "reset")
    return out


# --- nmap XML -----------------------------------------------------------------------------------

def ranges(text):
    return parse_ports(text) if text else []


def read_scan(path):
    """{address: {port: (state, reason)}} with extraports expanded, so every scanned port appears."""
    root = ET.parse(path).getroot()
    info = root.find("scaninfo")
    scanned = ranges(info.get("services")) if info is not None else []
    hosts = {}
    for host in root.findall("host"):
        addr = host.find("address").get("addr")
        ports = {}
        ports_el = host.find("ports")
        if ports_el is not None:
            for p in ports_el.findall("port"):
                st = p.find("state")
                ports[int(p.get("portid"))] = (st.get("state"), st.get("reason"))
            extras = ports_el.findall("extraports")
            for ex in extras:
                for er in ex.findall("extrareasons"):
                    for port in ranges(er.get("ports")):
                        ports[port] = (ex.get("state"), er.get("reason"))
            # without ports="" lists (older nmap), one extraports group covers the rest
            if len(extras) == 1:
                ex = extras[0]
                reasons = ex.findall("extrareasons")
                reason = reasons[0].get("reason") if len(reasons) == 1 else "?"
                for port in scanned:
                    ports.setdefault(port, (ex.get("state"), reason))
        for port in scanned:
            ports.setdefault(port, ("missing", "missing"))
        hosts[addr] = ports
    return hosts


def elapsed(path):
    finished = ET.parse(path).getroot().find("runstats/finished")
    return float(finished.get("elapsed"))


def diff_maps(a, b, ignore=frozenset()):
    diffs = []
    total = 0
    for addr in sorted(set(a) | set(b)):
        pa, pb = a.get(addr, {}), b.get(addr, {})
        for port in sorted(set(pa) | set(pb)):
            if port in ignore:
                continue
            total += 1
            va, vb = pa.get(port, ("absent", "")), pb.get(port, ("absent", ""))
            if va != vb:
                diffs.append(f"{addr}:{port} {va[0]}/{va[1]} vs {vb[0]}/{vb[1]}")
    return total, diffs


def report(total, diffs):
    if not diffs:
        return f"agree {total}/{total}"
    shown = "; ".join(diffs[:6]) + (" ..." if len(diffs) > 6 else "")
    return f"differ {len(diffs)}/{total}: {shown}"


def cmd_compare(args):
    ignore = set()
    if "--ignore" in args:
        i = args.index("--ignore")
        ignore = set(parse_ports(args[i + 1])) if args[i + 1] else set()
        args = args[:i] + args[i + 2:]
    total, diffs = diff_maps(read_scan(args[0]), read_scan(args[1]), ignore)
    print(report(total, diffs))


def cmd_vs_truth(args):
    expected = {}
    with open(args[0]) as f:
        for line in f:
            addr, port, state, reason = line.split()
            expected.setdefault(addr, {})[int(port)] = (state, reason)
    actual = read_scan(args[1])
    total, diffs = 0, []
    # a truth reason "a|b" accepts either
    for addr in sorted(expected):
        for port, (state, reason) in sorted(expected[addr].items()):
            total += 1
            got = actual.get(addr, {}).get(port, ("absent", ""))
            if got[0] != state or got[1] not in reason.split("|"):
                diffs.append(f"{addr}:{port} {state}/{reason} vs {got[0]}/{got[1]}")
    print(report(total, diffs))


# --- the sweep lab (W7) -------------------------------------------------------------------------

# every address of the routed block answers for itself: a listener on 31338, port 25 dropped, the
# rest closed
SWEEP_TRUTH = {7: ("closed", "reset"), 25: ("filtered", "no-response"), 31338: ("open", "syn-ack")}


def sweep_addresses(cidr):
    import ipaddress
    return [str(a) for a in ipaddress.ip_network(cidr)]


def cmd_sweep_check(args):
    path, cidr, ports = args[0], args[1], parse_ports(args[2])
    root = ET.parse(path).getroot()
    if root.get("scanner") == "masscan":
        found = set()
        for host in root.findall("host"):
            addr = host.find("address").get("addr")
            for p in host.iter("port"):
                if p.find("state").get("state") == "open":
                    found.add((addr, int(p.get("portid"))))
        expected = [(a, p) for a in sweep_addresses(cidr) for p in ports if SWEEP_TRUTH[p][0] == "open"]
        hit = sum(1 for e in expected if e in found)
        print(f"found {hit}/{len(expected)} open (no closed or filtered states)")
        return
    actual = read_scan(path)
    total, diffs = 0, []
    for addr in sweep_addresses(cidr):
        for port in ports:
            total += 1
            got = actual.get(addr, {}).get(port, ("absent", ""))
            if got != SWEEP_TRUTH[port]:
                diffs.append(f"{addr}:{port} {SWEEP_TRUTH[port][0]}/{SWEEP_TRUTH[port][1]} vs {got[0]}/{got[1]}")
    print(report(total, diffs))


def cmd_sweep_summary(args):
    rows = [r for r in csv.DictReader(open(args[0])) if r["workload"].startswith("w7")]
    if not rows:
        return
    print("| W7 sweep | ours scan s | ours wall s | masscan wall s | ours scan / masscan wall | nmap -T4 scan s "
          "| ours / nmap | ours vs the lab's truth | masscan | ours peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    order = []
    for r in rows:
        if r["workload"] not in order:
            order.append(r["workload"])
    for key in order:
        rs = [r for r in rows if r["workload"] == key]
        pick = lambda tool, col: [float(r[col]) for r in rs if r["tool"] == tool]
        o_scan, o_wall, m_wall, n_scan = pick("ours", "scan_s"), pick("ours", "wall_s"), pick("masscan", "wall_s"), \
            pick("nmap", "scan_s")
        rss = pick("ours", "rss_kb")
        truths = [r["truth"] for r in rs if r["tool"] == "ours"]
        exact = sum(1 for t in truths if t.startswith("agree"))
        found = "; ".join(sorted({r["truth"] for r in rs if r["tool"] == "masscan"})) or "-"
        unfinished = any(r["truth"] == "did not finish" for r in rs if r["tool"] == "nmap")
        n = median(n_scan)
        print(f"| {key} | {fmt(median(o_scan))} | {fmt(median(o_wall))} | {fmt(median(m_wall))} | "
              f"{fmt(median(o_scan) / median(m_wall)) if m_wall else '-'} | "
              f"{('>= ' if unfinished else '') + fmt(n) if n_scan else '-'} | "
              f"{(('<= ' if unfinished else '') + f'{median(o_scan) / n:.2g}') if n_scan else '-'} | "
              f"{exact}/{len(truths)} runs exact | {found} | {fmt(max(rss) / 1024, 0) if rss else '-'} |")


# --- JFR ----------------------------------------------------------------------------------------

def jfr_peak(path):
    """(largest heapUsed before any GC, largest after any GC, number of GCs): the first is the
    most the heap held, garbage included; the second the largest live set a GC left behind."""
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.GCHeapSummary", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    before = [e["values"]["heapUsed"] for e in events if e["values"]["when"] == "Before GC"]
    after = [e["values"]["heapUsed"] for e in events if e["values"]["when"] == "After GC"]
    return max(before, default=0), max(after, default=0), len(before)


# --- summary ------------------------------------------------------------------------------------

def median(values):
    return statistics.median(values) if values else float("nan")


def fmt(v, digits=2):
    return "n/a" if v != v else f"{v:.{digits}f}"


def cmd_summary(args):
    rows = list(csv.DictReader(open(args[0])))
    order = []
    by = {}
    for r in rows:
        key = r["workload"]
        if key not in by:
            order.append(key)
            by[key] = []
        by[key].append(r)
    print("| workload | ours scan s | nmap scan s | ratio | ours wall s | nmap wall s | ratio | agreement | spread (min-max scan s, ours / nmap) | CPU steal % (max) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in order:
        if key.startswith("w7"):
            continue  # the sweep rows have their own table (sweep-summary)
        rs = by[key]
        ours = [r for r in rs if r["tool"] == "ours"]
        nmap = [r for r in rs if r["tool"] == "nmap"]
        os_, ns_ = [float(r["scan_s"]) for r in ours], [float(r["scan_s"]) for r in nmap]
        ow, nw = [float(r["wall_s"]) for r in ours], [float(r["wall_s"]) for r in nmap]
        mo, mn, mow, mnw = median(os_), median(ns_), median(ow), median(nw)
        ratio = fmt(mo / mn) if nmap and mn > 0 else "-"
        wratio = fmt(mow / mnw) if nmap and mnw > 0 else "-"
        # a run stopped at the timeout counts its timeout: nmap's figures are then lower bounds
        unfinished = any(r.get("truth") == "did not finish" for r in nmap)
        at_least = ">= " if unfinished else ""
        at_most = "<= " if unfinished else ""
        agree = [r["agreement"] for r in ours if r["agreement"]]
        ok = sum(1 for a in agree if a.startswith("agree"))
        agreement = f"{ok}/{len(agree)} runs" if agree else "-"
        truths = [r["truth"] for r in rs if r.get("truth")]
        if truths:
            t_ours = sum(1 for r in ours if r["truth"].startswith("agree"))
            t_nmap = sum(1 for r in nmap if r["truth"].startswith("agree"))
            agreement += f"; truth: ours {t_ours}/{len(ours)}, nmap {t_nmap}/{len(nmap)}"
        spread = f"{fmt(min(os_))}-{fmt(max(os_))} / " + (f"{fmt(min(ns_))}-{fmt(max(ns_))}" if ns_ else "-")
        steals = [float(r["steal_pct"]) for r in rs if r.get("steal_pct")]
        steal = f"{max(steals):.1f}" if steals else "-"
        print(f"| {key} | {fmt(mo)} | {at_least + fmt(mn) if nmap else '-'} | {at_most + ratio} | {fmt(mow)} | "
              f"{at_least + fmt(mnw) if nmap else '-'} | {at_most + wratio} | {agreement} | {spread} | {steal} |")


def cmd_w5_table(args):
    """The bench/w5 CSV as the W5 table of a results file."""
    rows = list(csv.DictReader(open(args[0])))
    print("| W5 samples | threads | probes/s through JMeter | engine raw probes/s (-p-) | share of raw | "
          "engine alone, same samples | share of it | JMeter CPU us/probe | errors | CPU steal % |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    names = {"port": "one port each", "range": "ports 1-1000 each", "empty": "JMeter alone (empty samples)"}
    for r in rows:
        same = r.get("engine_same_per_s") or ""
        same_cells = (f"{int(float(same)):,} | {float(r['share_of_engine_same']) * 100:.0f}%" if same
                      else "- | -")
        print(f"| {names.get(r['mode'], r['mode'])} | {r['threads']} | {int(r['probes_per_s']):,} | "
              f"{int(r['raw_probes_per_s']):,} | {float(r['share_of_raw']) * 100:.0f}% | {same_cells} | "
              f"{r['cpu_us_per_probe']} | {r['errors']} | {r.get('steal_pct') or '-'} |")


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "nft":
        sys.stdout.write(nft_ruleset())
    elif cmd == "truth":
        for port, (state, reason) in truth(args[0], args[1]).items():
            print(args[0], port, state, reason)
    elif cmd == "compare":
        cmd_compare(args)
    elif cmd == "vs-truth":
        cmd_vs_truth(args)
    elif cmd == "elapsed":
        print(elapsed(args[0]))
    elif cmd == "jfr-peak":
        before, after, gcs = jfr_peak(args[0])
        print(f"{before / 1048576:.1f} {after / 1048576:.1f} {gcs}")
    elif cmd == "median":
        # median RAW.csv WORKLOAD TOOL [FACTOR]: median scan time, times FACTOR
        rows = [r for r in csv.DictReader(open(args[0])) if r["workload"] == args[1] and r["tool"] == args[2]]
        factor = float(args[3]) if len(args) > 3 else 1.0
        print(fmt(median([float(r["scan_s"]) for r in rows]) * factor))
    elif cmd == "summary":
        cmd_summary(args)
    elif cmd == "sweep-check":
        cmd_sweep_check(args)
    elif cmd == "sweep-summary":
        cmd_sweep_summary(args)
    elif cmd == "w5-table":
        cmd_w5_table(args)
    else:
        sys.exit("unknown subcommand " + cmd)


if __name__ == "__main__":
    main(sys.argv)

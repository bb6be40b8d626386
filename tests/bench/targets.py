#!/usr/bin/env python3
"""make bench's one table of targets (issue 21): every target the issues set, what this run
measured of it, and met / not met, so that nobody has to read each bench's own table.

The benches record what they measured:
    python3 tests/bench/targets.py record KEY VALUE          (from a shell script)
    targets.record(KEY, VALUE)                               (from Python: sys.path has this dir)
into the file named by CIVIL_BENCH_TARGETS (nothing is recorded when it is unset, as when a bench
runs alone). tests/bench/run.sh sets it, and ends with
    python3 tests/bench/targets.py table FILE
which prints every target below, in this order, with "not measured" for what this run skipped
(a missing tool, CIVIL_BENCH_ONLY_*) or what no bench measures yet. A value that is not a number
(a failed measurement) is "not measured" too, never met.
"""
import math
import os
import sys

# KEY: (measure, comparison, target, unit, where it is measured)
TARGETS = {
    "gateway.peer_get_ratio": ("our gateway ÷ grpc-gateway v1.6.4, GET req/s (the worse of: no "
                               "identity; JWT + rate limits)", ">=", 2.0, "×", "run.sh 1"),
    "gateway.peer_post_ratio": ("our gateway ÷ grpc-gateway v1.6.4, POST req/s (the worse of "
                                "both modes)", ">=", 2.0, "×", "run.sh 1"),
    "gateway.cpu_us_per_request": ("our gateway's CPU per request, the worst of GET/POST and both "
                                   "modes", "<=", 50.0, "µs", "run.sh 1"),
    "assistance.cached_get_ratio": ("cached GetHousehold ÷ no-op gRPC server, same runner", ">=",
                                    0.7, "×", "run.sh 2"),
    "gateway.get_ratio": ("GET through the gateway ÷ the same load straight to the service", ">=",
                          0.6, "×", "run.sh 2"),
    "assistance.disbursement_ratio": ("assistance disbursement ÷ bare INSERT … SELECT of the same "
                                      "rows", ">=", 0.5, "×", "assistance_bench.sh"),
    "assistance.summary_p50_ms": ("assistance summary over the county's payments, p50", "<=",
                                  200.0, "ms", "assistance_bench.sh"),
    "eldercare.allowance_run_ratio": ("高龄津贴 monthly run ÷ bare INSERT … SELECT of the same "
                                      "rows (30,000 persons)", ">=", 0.5, "×",
                                      "eldercare_bench.sh"),
    "affairs.cremations_per_s": ("cremations recorded through the API (no batch path yet: one "
                                 "RecordCremation each, 32 callers)", ">=", 10000.0, "/s",
                                 "affairs_bench.sh"),
    "events.throughput_per_s": ("events outbox → relay → stream → consumer over a backlog", ">=",
                                5000.0, "/s", "events_bench.sh"),
    "events.delivery_p99_ms": ("event delivery latency p99 at a steady rate", "<=", 200.0, "ms",
                               "events_bench.sh"),
    "governance.import_ratio": ("400,000 residents' records imported through the gateway ÷ "
                                "PostgreSQL COPY of the same rows", ">=", 0.3, "×",
                                "governance_bench.sh"),
    "governance.service_rss_mb": ("governance service's peak RSS during the import", "<=", 200.0,
                                  "MB", "governance_bench.sh"),
    "governance.gateway_rss_mb": ("gateway's peak RSS during the import", "<=", 200.0, "MB",
                                  "governance_bench.sh"),
    "governance.worklist_p99_ms": ("review worklist page at 400,000 records, p99", "<=", 50.0,
                                   "ms", "governance_bench.sh"),
    "report.p50_ms": ("work summary of the generated county's half year (md, gRPC), p50", "<=",
                      200.0, "ms", "report_bench.sh"),
    "report.p99_ms": ("work summary of the generated county's half year (md, gRPC), p99", "<=",
                      500.0, "ms", "report_bench.sh"),
    "scale.report_10_counties_ratio": ("a county's report at 10 counties' data ÷ at one county's",
                                       "<=", 1.5, "×", "not built"),
}


def record(key, value):
    """Records `value` for target `key` (a KeyError for a key not in TARGETS: a typo would
    otherwise print as "not measured" for good)."""
    if key not in TARGETS:
        raise KeyError(f"targets.py: no target {key!r}")
    path = os.environ.get("CIVIL_BENCH_TARGETS")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{key}\t{value}\n")


def _number(text):
    try:
        v = float(text)
    except ValueError:
        return math.nan
    return v


def table(path):
    measured = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            key, _, value = line.rstrip("\n").partition("\t")
            measured.setdefault(key, []).append(_number(value))
    print("\n## make bench — every target, this run\n")
    print("| measure | value | target | | measured by |")
    print("|---|---:|---:|---|---|")
    met = missed = unmeasured = 0
    for key, (measure, op, goal, unit, where) in TARGETS.items():
        values = [v for v in measured.get(key, []) if not math.isnan(v)]
        sign = "≥" if op == ">=" else "≤"
        target = f"{sign} {goal:g} {unit}"
        if not values:
            unmeasured += 1
            print(f"| {measure} | — | {target} | not measured | {where} |")
            continue
        # Recorded more than once (a bench run twice): the worst of them counts.
        value = min(values) if op == ">=" else max(values)
        ok = value >= goal if op == ">=" else value <= goal
        met += ok
        missed += not ok
        print(f"| {measure} | {value:,.2f} {unit} | {target} | {'met' if ok else 'NOT met'} |"
              f" {where} |")
    print(f"\n{met} met, {missed} not met, {unmeasured} not measured in this run "
          f"(of {len(TARGETS)} targets).")


def main(argv):
    if len(argv) == 4 and argv[1] == "record":
        record(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "table":
        table(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""The series names that the alert and recording rules (deploy/prometheus/rules) and the Grafana
dashboards (deploy/grafana/dashboards) query. Run as a program it prints the names a process
must export, one a line (with the job when a selector names one): recorded series (level:metric:op) and Prometheus's own `up` left out.
deploy_metrics_e2e compares them with what the running processes export."""
import glob
import json
import os
import re

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FUNCTIONS = {
    "sum", "min", "max", "avg", "count", "stddev", "topk", "bottomk", "quantile", "by", "without",
    "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
    "rate", "irate", "increase", "delta", "changes", "resets", "deriv", "histogram_quantile",
    "absent", "absent_over_time", "max_over_time", "min_over_time", "avg_over_time", "clamp_min",
    "clamp_max", "time", "vector", "scalar", "label_replace", "abs", "round", "sort", "sort_desc",
    "inf", "nan",
}


def expressions():
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "deploy/prometheus/rules/*.yml"))):
        for group in yaml.safe_load(open(path))["groups"]:
            out += [r["expr"] for r in group["rules"]]
    for path in sorted(glob.glob(os.path.join(ROOT, "deploy/grafana/dashboards/*.json"))):
        for panel in json.load(open(path))["panels"]:
            out += [t["expr"] for t in panel.get("targets", [])]
    return out


def names_in(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)        # string literals
    expr = re.sub(r"\{[^}]*\}", "", expr)                   # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)                  # ranges
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    expr = re.sub(r"\$\w+", "", expr)                       # Grafana variables
    names = set()
    for m in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr):
        token = m.group(0)
        if token in FUNCTIONS or re.fullmatch(r"[0-9.e+-]+", token):
            continue
        # A number like 1e3 or a duration would have been caught; a function call is followed by (
        if expr[m.end():].lstrip().startswith("("):
            continue
        names.add(token)
    return names


def referenced_names():
    out = set()
    for expr in expressions():
        out |= names_in(expr)
    return out


def job_pairs():
    """(name, job) for every selector `name{…job="civil-x"…}`: that component must export it."""
    out = set()
    for expr in expressions():
        for name, matchers in re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}", expr):
            m = re.search(r'\bjob="([a-z-]+)"', matchers)
            if m:
                out.add((name, m.group(1)))
    return out


def recorded_names():
    out = set()
    for path in sorted(glob.glob(os.path.join(ROOT, "deploy/prometheus/rules/*.yml"))):
        for group in yaml.safe_load(open(path))["groups"]:
            out |= {r["record"] for r in group["rules"] if "record" in r}
    return out


if __name__ == "__main__":
    # "<name>" (some process exports it) or "<name> <job>" (that component's process does).
    for name in sorted(referenced_names() - recorded_names() - {"up"}):
        if ":" not in name:
            print(name)
    for name, job in sorted(job_pairs()):
        if ":" not in name and name != "up":
            print(name, job)

#!/usr/bin/env python3
"""deploy_prometheus: promtool check config (the compose and the Kubernetes scrape configurations,
prometheus.yml and prometheus-k8s.yml, with their rules; the latter's kubernetes_sd_configs, which
Debian's promtool cannot parse, checked here: role pod in the overlays' namespaces; its
relabelling is applied to the rendered overlays by deploy_k8s),
promtool check rules, promtool test rules (deploy/prometheus/tests); every alert has a
runbook_url whose section exists in deploy/RUNBOOK.md; the Grafana dashboards are what
deploy/grafana/generate.py writes, and each panel's queries only name recorded series that a
recording rule defines and gRPC services and methods (grpc_service/grpc_method matchers) that the
protos declare."""
import filecmp
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile

import yaml

from deploy_lib import ROOT, Failures, components, read, run
from metric_names import expressions, recorded_names, referenced_names

f = Failures()
prom = os.path.join(ROOT, "deploy/prometheus")
rules = sorted(glob.glob(os.path.join(prom, "rules/*.yml")))


def promtool(*args):
    p = subprocess.run(["promtool", *args], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    f.check(p.returncode == 0, f"promtool {' '.join(args)}: exit {p.returncode}")


# The Kubernetes SD settings prometheus-k8s.yml may use (upstream's kubernetes_sd_config). Debian's
# Prometheus is built without Kubernetes discovery ("Kubernetes support has been completely
# removed", /usr/share/doc/prometheus/NEWS.Debian, 1.5.0+ds-1), so its promtool rejects the
# kubernetes_sd_configs key itself: promtool checks the rest of the file (relabel rules, rule
# files, globals) with the block swapped for a static target, and this checks the block.
K8S_SD_KEYS = {"role", "namespaces", "api_server", "kubeconfig_file", "selectors", "attach_metadata"}


def overlay_namespaces():
    out = set()
    for overlay in os.listdir(os.path.join(ROOT, "deploy/k8s/overlays")):
        kustomization = yaml.safe_load(read(f"deploy/k8s/overlays/{overlay}/kustomization.yaml"))
        out.add(kustomization["namespace"])
    return out


def without_kubernetes_sd(config):
    for job in config.get("scrape_configs", []):
        for sd in job.pop("kubernetes_sd_configs", None) or []:
            where = f"prometheus-k8s.yml: job {job['job_name']}"
            f.check(set(sd) <= K8S_SD_KEYS, f"{where}: unknown kubernetes_sd_config keys {set(sd) - K8S_SD_KEYS}")
            f.check(sd.get("role") == "pod", f"{where}: role {sd.get('role')!r}, not pod")
            names = (sd.get("namespaces") or {}).get("names")
            f.check(set(sd.get("namespaces") or {}) <= {"names", "own_namespace"},
                    f"{where}: namespaces {sd.get('namespaces')}")
            f.check(isinstance(names, list) and set(names) == overlay_namespaces(),
                    f"{where}: namespaces {names} != the overlays' {sorted(overlay_namespaces())}")
            job.setdefault("static_configs", []).append({"targets": ["pod.invalid:9100"]})
    return config


# The compose Prometheus (static targets) and the Kubernetes one (pod discovery): the same rules.
for name in ("prometheus.yml", "prometheus-k8s.yml"):
    with tempfile.TemporaryDirectory() as tmp:
        config = yaml.safe_load(read(f"deploy/prometheus/{name}"))
        f.check(config.get("rule_files") == ["/etc/prometheus/rules/*.yml"],
                f"{name}: rule_files {config.get('rule_files')} (the mounted deploy/prometheus/rules)")
        config["rule_files"] = rules  # /etc/prometheus/rules in the container
        if name == "prometheus-k8s.yml":
            f.check(any(j.get("kubernetes_sd_configs") for j in config["scrape_configs"]),
                    f"{name}: no kubernetes_sd_configs")
            config = without_kubernetes_sd(config)
        path = os.path.join(tmp, name)
        with open(path, "w") as out:
            yaml.safe_dump(config, out)
        promtool("check", "config", path)
promtool("check", "rules", *rules)
for test in sorted(glob.glob(os.path.join(prom, "tests/*.yml"))):
    promtool("test", "rules", test)

# Runbook links: the anchor is the alert's own section of the runbook.
runbook = read("deploy/RUNBOOK.md")
anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
           for h in re.findall(r"^#+ (.*)$", runbook, re.M)}
for path in rules:
    for group in yaml.safe_load(open(path))["groups"]:
        for rule in group["rules"]:
            if "alert" not in rule:
                continue
            url = rule.get("annotations", {}).get("runbook_url", "")
            anchor = url.rsplit("#", 1)[-1] if "#" in url else ""
            f.check(url.endswith(f"deploy/RUNBOOK.md#{rule['alert'].lower()}"),
                    f"{rule['alert']}: runbook_url {url!r}")
            f.check(anchor in anchors, f"{rule['alert']}: no section #{anchor} in deploy/RUNBOOK.md")
            f.check(rule.get("labels", {}).get("severity") in ("page", "ticket"),
                    f"{rule['alert']}: severity")

# Dashboards: generated, valid JSON, one per component and the bureau, and recorded series exist.
with tempfile.TemporaryDirectory() as tmp:
    gen = os.path.join(tmp, "grafana")
    shutil.copytree(os.path.join(ROOT, "deploy/grafana"), gen)
    for d in ("dashboards",):
        shutil.rmtree(os.path.join(gen, d))
        os.makedirs(os.path.join(gen, d))
    run(["python3", os.path.join(gen, "generate.py")])
    cmp = filecmp.dircmp(os.path.join(ROOT, "deploy/grafana/dashboards"), os.path.join(gen, "dashboards"))
    f.check(not (cmp.diff_files or cmp.left_only or cmp.right_only),
            f"deploy/grafana/dashboards differ from generate.py's output: {cmp.diff_files} "
            f"{cmp.left_only} {cmp.right_only}")
boards = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "deploy/grafana/dashboards/*.json")))
# One per component of deploy/local/run.sh, the gateway's and the bureau's.
expected = sorted([f"{name}.json" for name in components()] + ["gateway.json", "bureau.json"])
f.check(boards == expected, f"dashboards {boards}")
# The gRPC services and methods a query names by label exist in the protos (a method renamed
# would leave a panel empty without any series going missing).
rpcs = {}
for path in glob.glob(os.path.join(ROOT, "proto/**/*.proto"), recursive=True):
    text = open(path, encoding="utf-8").read()
    package = re.search(r"^package ([\w.]+);", text, re.M)
    for service, body in re.findall(r"^service (\w+) \{(.*?)^\}", text, re.M | re.S):
        rpcs[f"{package.group(1)}.{service}" if package else service] = set(re.findall(r"\brpc (\w+)\(", body))
for expr in expressions():
    for matchers in re.findall(r"\{([^}]*)\}", expr):
        service = re.search(r'grpc_service="([\w.]+)"', matchers)
        f.check(service is None or service.group(1) in rpcs, f"no gRPC service {service and service.group(1)}: {expr}")
        method = re.search(r'grpc_method=~?"([\w|]+)"', matchers)
        if method:
            known_methods = rpcs.get(service.group(1), set()) if service else set().union(*rpcs.values())
            for m in method.group(1).split("|"):
                f.check(m in known_methods, f"no gRPC method {m}"
                        f"{' in ' + service.group(1) if service else ''}: {expr}")
recorded = recorded_names()
for name in referenced_names():
    if ":" in name:
        f.check(name in recorded, f"{name} is queried but no recording rule defines it")
f.finish("deploy_prometheus")

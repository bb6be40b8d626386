#!/usr/bin/env python3
"""deploy_k8s: renders every overlay of deploy/k8s with `kubectl kustomize` (Debian's
kubernetes-client) and checks the objects: every workload has readiness and liveness probes,
requests and limits and a non-root, read-only, no-privilege securityContext; every Service's
ports are opened by a NetworkPolicy that selects its pods; every Secret and ConfigMap referenced
exists (a Secret, an ExternalSecret's target or a cert-manager Certificate's); every department has
its migration Job, an HPA and a PDB; the variables set are ones the binaries read; every gRPC
port requires client certificates from files mounted from the component's own Secret, the
probes can pass under mTLS, and the dev overlay's certificates verify against its CA for the
name callers dial; who calls whom (the CIVIL_<X>_ADDR each component's code reads) agrees with the
addresses the Deployments set and with the callees' NetworkPolicies; deploy/prometheus/
prometheus-k8s.yml's relabelling finds each Deployment's metrics port under its job name and
nothing else; the prod overlay's civil-data NetworkPolicies admit the right tiers. Also: base/ and the prod certificates are what generate.py writes.

  check_k8s.py"""
import base64
import filecmp
import os
import re
import shutil
import subprocess
import tempfile

import yaml

from deploy_lib import ROOT, Failures, callees, components, run, variables_read

f = Failures()
kit = components()
known = variables_read()
WORKLOADS = ("Deployment", "StatefulSet", "Job")


def render(tmp, overlay):
    # The dev overlay reads its secrets from files make-secrets.sh makes (not in git): render a
    # copy of deploy/k8s with a fresh set.
    if overlay == "dev":
        run([os.path.join(ROOT, "deploy/docker/make-secrets.sh"),
             os.path.join(tmp, "k8s/overlays/dev/secrets")])
    out = run(["kubectl", "kustomize", os.path.join(tmp, "k8s/overlays", overlay)]).stdout
    return [o for o in yaml.safe_load_all(out) if o]


def selects(selector, labels):
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        if e["operator"] == "In" and labels.get(e["key"]) not in e["values"]:
            return False
    return True


def check_overlay(name, objects):
    by_kind = {}
    for o in objects:
        by_kind.setdefault(o["kind"], []).append(o)
    secrets = {o["metadata"]["name"] for o in by_kind.get("Secret", [])}
    secrets |= {o["spec"]["target"]["name"] for o in by_kind.get("ExternalSecret", [])}
    secrets |= {o["spec"]["secretName"] for o in by_kind.get("Certificate", [])}
    configmaps = {o["metadata"]["name"]: o for o in by_kind.get("ConfigMap", [])}
    pods = []
    for kind in WORKLOADS:
        for w in by_kind.get(kind, []):
            where = f"{name}: {kind} {w['metadata']['name']}"
            pod = w["spec"]["template"]
            pods.append((where, pod["metadata"].get("labels", {})))
            spec = pod["spec"]
            psc = spec.get("securityContext", {})
            f.check(psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) != 0,
                    f"{where}: pod may run as root")
            f.check(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{where}: seccomp")
            for c in spec["containers"]:
                cw = f"{where}/{c['name']}"
                if kind != "Job":
                    f.check("readinessProbe" in c and "livenessProbe" in c, f"{cw}: no probes")
                res = c.get("resources", {})
                f.check({"cpu", "memory"} <= set(res.get("limits", {})), f"{cw}: no limits")
                f.check({"cpu", "memory"} <= set(res.get("requests", {})), f"{cw}: no requests")
                sc = c.get("securityContext", {})
                f.check(sc.get("readOnlyRootFilesystem") is True, f"{cw}: writable root fs")
                f.check(sc.get("allowPrivilegeEscalation") is False, f"{cw}: privilege escalation")
                f.check("ALL" in sc.get("capabilities", {}).get("drop", []), f"{cw}: capabilities")
                for e in c.get("env", []):
                    ref = e.get("valueFrom", {})
                    if "secretKeyRef" in ref:
                        f.check(ref["secretKeyRef"]["name"] in secrets, f"{cw}: no Secret {ref}")
                    if "configMapKeyRef" in ref:
                        cm = configmaps.get(ref["configMapKeyRef"]["name"])
                        f.check(cm is not None and ref["configMapKeyRef"]["key"] in cm.get("data", {}),
                                f"{cw}: no ConfigMap key {ref}")
                    if e["name"].startswith("CIVIL_") and c["name"] != "postgres":
                        f.check(e["name"] in known or e["name"] in ("CIVIL_PG_HOST", "CIVIL_PG_PORT",
                                                                    "CIVIL_PG_SSLMODE"),
                                f"{cw}: {e['name']} is read by no binary")
                # gRPC probes on the port the service listens on.
                for probe in ("readinessProbe", "livenessProbe"):
                    g = c.get(probe, {}).get("grpc")
                    if g:
                        ports = [p["containerPort"] for p in c.get("ports", [])]
                        f.check(g["port"] in ports, f"{cw}: {probe} on a port it does not open")
            for v in spec.get("volumes", []):
                if "secret" in v:
                    f.check(v["secret"]["secretName"] in secrets, f"{where}: no Secret {v}")
                if "configMap" in v:
                    f.check(v["configMap"]["name"] in configmaps, f"{where}: no ConfigMap {v}")
    policies = by_kind.get("NetworkPolicy", [])
    for svc in by_kind.get("Service", []):
        where = f"{name}: Service {svc['metadata']['name']}"
        target_pods = [labels for _, labels in pods if selects({"matchLabels": svc["spec"]["selector"]}, labels)]
        f.check(target_pods, f"{where} selects no pod")
        for port in svc["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            container_port = None
            for w in by_kind.get("Deployment", []) + by_kind.get("StatefulSet", []):
                if selects({"matchLabels": svc["spec"]["selector"]}, w["spec"]["template"]["metadata"]["labels"]):
                    for c in w["spec"]["template"]["spec"]["containers"]:
                        for p in c.get("ports", []):
                            if p.get("name") == target or p["containerPort"] == target:
                                container_port = p["containerPort"]
            f.check(container_port is not None, f"{where}: port {target} matches no container port")
            covered = any(
                selects(p["spec"]["podSelector"], labels) and p["spec"]["podSelector"]
                and any(container_port in [q.get("port") for q in rule.get("ports", [])]
                        for rule in p["spec"].get("ingress", []))
                for p in policies for labels in target_pods)
            f.check(covered, f"{where}: port {container_port} is in no NetworkPolicy")
    f.check(any(p["spec"]["podSelector"] == {} and not p["spec"].get("ingress") for p in policies),
            f"{name}: no default-deny ingress policy")
    check_grpc_tls(name, by_kind)
    check_callers(name, by_kind)
    check_scrape(name, objects)
    deployments = {d["metadata"]["name"] for d in by_kind.get("Deployment", [])}
    jobs = {j["metadata"]["name"] for j in by_kind.get("Job", [])}
    hpas = {h["spec"]["scaleTargetRef"]["name"] for h in by_kind.get("HorizontalPodAutoscaler", [])}
    pdbs = by_kind.get("PodDisruptionBudget", [])
    for component in list(kit) + ["gateway"]:
        f.check(component in deployments, f"{name}: no Deployment {component}")
        f.check(component in hpas, f"{name}: no HPA for {component}")
        f.check(any(selects(p["spec"]["selector"], {"app.kubernetes.io/name": component}) for p in pdbs),
                f"{name}: no PDB for {component}")
        if component != "gateway":
            f.check(f"migrate-{component}" in jobs, f"{name}: no migration Job for {component}")
    for job in by_kind.get("Job", []):
        env = {e["name"]: e.get("value") for e in job["spec"]["template"]["spec"]["containers"][0]["env"]}
        f.check(env.get("CIVIL_MIGRATE_ONLY") == "true", f"{name}: Job {job['metadata']['name']} serves")
    # Who may reach a department's gRPC port: the gateway, report, and its callers only.
    for p in policies:
        sel = p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
        if sel in kit:
            grpc = kit[sel][0]
            for rule in p["spec"].get("ingress", []):
                if grpc in [q.get("port") for q in rule.get("ports", [])]:
                    for src in rule["from"]:
                        f.check("podSelector" in src and "namespaceSelector" not in src,
                                f"{name}: {sel} gRPC open beyond the namespace's pods")


def check_callers(name, by_kind):
    """Who calls whom, from the code (deploy_lib.callees: the CIVIL_<X>_ADDR each component's
    sources read), against the manifests: a Deployment sets exactly the addresses its code reads,
    each naming the callee's Service and gRPC port; the callee's NetworkPolicies admit it to that
    port; and every pod a NetworkPolicy admits to a gRPC port is a caller that sets the address."""
    policies = by_kind.get("NetworkPolicy", [])
    deployments = {d["metadata"]["name"]: d for d in by_kind.get("Deployment", [])
                   if d["metadata"]["name"] in kit or d["metadata"]["name"] == "gateway"}
    sets = {}
    for caller, d in deployments.items():
        env = {e["name"]: e.get("value") for e in d["spec"]["template"]["spec"]["containers"][0]["env"]}
        sets[caller] = {}
        for var, value in env.items():
            m = re.fullmatch(r"CIVIL_([A-Z]+)_ADDR", var)
            if m and m.group(1).lower() in kit and m.group(1).lower() != caller:
                sets[caller][m.group(1).lower()] = value
        code = callees(caller)
        where = f"{name}: Deployment {caller}"
        for callee in sorted(set(sets[caller]) - code):
            f.check(False, f"{where} sets CIVIL_{callee.upper()}_ADDR, which its code never reads")
        for callee in sorted(code - set(sets[caller])):
            f.check(False, f"{where}: its code calls {callee} but CIVIL_{callee.upper()}_ADDR is "
                           f"not set (it would dial 127.0.0.1)")
        pod_labels = d["spec"]["template"]["metadata"]["labels"]
        for callee, value in sorted(sets[caller].items()):
            grpc = kit[callee][0]
            f.check(value == f"{callee}:{grpc}", f"{where}: CIVIL_{callee.upper()}_ADDR={value}")
            admitted = any(
                selects(p["spec"]["podSelector"], {"app.kubernetes.io/name": callee})
                and p["spec"]["podSelector"]
                and grpc in [q.get("port") for q in rule.get("ports", [])]
                and any("podSelector" in src and "namespaceSelector" not in src
                        and selects(src["podSelector"], pod_labels) for src in rule.get("from", []))
                for p in policies for rule in p["spec"].get("ingress", []))
            f.check(admitted, f"{where} calls {callee}:{grpc}, which no NetworkPolicy of "
                              f"{callee} admits it to")
    for p in policies:
        callee = p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
        if callee not in kit:
            continue
        grpc = kit[callee][0]
        for rule in p["spec"].get("ingress", []):
            if grpc not in [q.get("port") for q in rule.get("ports", [])]:
                continue
            for src in rule.get("from", []):
                if "podSelector" not in src:
                    continue
                admitted = [c for c, d in deployments.items()
                            if selects(src["podSelector"], d["spec"]["template"]["metadata"]["labels"])]
                where = f"{name}: NetworkPolicy {p['metadata']['name']} admits {src['podSelector']}"
                f.check(admitted, f"{where} to {callee}:{grpc}, which selects no component")
                for c in admitted:
                    f.check(callee in sets.get(c, {}) and callee in callees(c),
                            f"{where} to {callee}:{grpc}: {c} does not call {callee} (its code "
                            f"reads no CIVIL_{callee.upper()}_ADDR, or its Deployment sets none)")


def relabel(labels, configs):
    """Prometheus's relabelling (the actions prometheus-k8s.yml uses and labelmap/labeldrop/
    labelkeep): None when the target is dropped. Regexes are anchored as Prometheus anchors them;
    replacements use $1 / ${1}."""
    labels = dict(labels)
    for c in configs:
        action = c.get("action", "replace")
        regex = re.compile(f"^(?:{c.get('regex', '(.*)')})$")
        value = c.get("separator", ";").join(labels.get(s, "") for s in c.get("source_labels", []))
        replacement = re.sub(r"\$\{?(\d+)\}?", r"\\g<\1>", str(c.get("replacement", "$1")))
        if action == "keep" and not regex.match(value):
            return None
        if action == "drop" and regex.match(value):
            return None
        if action == "replace":
            m = regex.match(value)
            if m:
                result = m.expand(replacement)
                if result:
                    labels[c["target_label"]] = result
                else:
                    labels.pop(c["target_label"], None)
        if action == "labelmap":
            labels.update({regex.sub(replacement, k): v for k, v in list(labels.items())
                           if regex.match(k)})
        if action in ("labeldrop", "labelkeep"):
            labels = {k: v for k, v in labels.items() if bool(regex.match(k)) == (action == "labelkeep")}
    return labels


def sanitize(name):
    return re.sub(r"[^a-zA-Z0-9_]", "_", name)


def check_scrape(name, objects):
    """deploy/prometheus/prometheus-k8s.yml's pod discovery and relabelling applied to the
    overlay's pods, as Prometheus would see them running (one discovered target per declared
    container port, meta labels as the Kubernetes SD writes them): every Deployment of the
    platform is scraped once, at its metrics port, under the job name the compose Prometheus
    (prometheus.yml), the rules and the dashboards use; nothing else of the namespace is."""
    config = yaml.safe_load(open(os.path.join(ROOT, "deploy/prometheus/prometheus-k8s.yml")))
    compose_jobs = {j["job_name"] for j in yaml.safe_load(
        open(os.path.join(ROOT, "deploy/prometheus/prometheus.yml")))["scrape_configs"]}
    found = {}
    for n, o in enumerate(o for o in objects if o["kind"] in WORKLOADS):
        ns = o["metadata"].get("namespace", "default")
        template = o["spec"]["template"]
        meta = {"__meta_kubernetes_namespace": ns,
                "__meta_kubernetes_pod_name": f"{o['metadata']['name']}-0",
                "__meta_kubernetes_pod_phase": "Running"}
        for k, v in (template["metadata"].get("annotations") or {}).items():
            meta[f"__meta_kubernetes_pod_annotation_{sanitize(k)}"] = v
            meta[f"__meta_kubernetes_pod_annotationpresent_{sanitize(k)}"] = "true"
        for k, v in (template["metadata"].get("labels") or {}).items():
            meta[f"__meta_kubernetes_pod_label_{sanitize(k)}"] = v
        ip = f"10.1.{n // 250}.{n % 250 + 1}"
        discovered = []
        for c in template["spec"]["containers"]:
            for p in c.get("ports", []):
                discovered.append(dict(meta, __address__=f"{ip}:{p['containerPort']}",
                                       __meta_kubernetes_pod_container_name=c["name"],
                                       __meta_kubernetes_pod_container_port_name=p.get("name", ""),
                                       __meta_kubernetes_pod_container_port_number=str(p["containerPort"])))
        if not discovered:
            discovered.append(dict(meta, __address__=ip))
        for job in config["scrape_configs"]:
            for sd in job.get("kubernetes_sd_configs", []):
                if sd.get("role") != "pod" or ns not in sd.get("namespaces", {}).get("names", [ns]):
                    continue
                for labels in discovered:
                    out = relabel(dict(labels, job=job["job_name"]), job.get("relabel_configs", []))
                    if out is not None:
                        target = (out["__address__"], out.get("job"))
                        found.setdefault((o["kind"], o["metadata"]["name"]), set()).add(target)
        if o["kind"] != "Deployment" or o["metadata"]["name"] not in list(kit) + ["gateway"]:
            continue
        component = o["metadata"]["name"]
        metrics = [p["containerPort"] for c in template["spec"]["containers"]
                   for p in c.get("ports", []) if p.get("name") == "metrics"]
        want = {(f"{ip}:{m}", f"civil-{component}") for m in metrics}
        got = found.get(("Deployment", component), set())
        f.check(len(metrics) == 1 and got == want,
                f"{name}: prometheus-k8s.yml scrapes Deployment {component} as {sorted(got)}, "
                f"not {sorted(want)}")
        f.check(f"civil-{component}" in compose_jobs,
                f"{name}: job civil-{component} is not prometheus.yml's (the rules' and dashboards')")
    for (kind, workload), targets in sorted(found.items()):
        f.check(kind == "Deployment" and (workload in kit or workload == "gateway"),
                f"{name}: prometheus-k8s.yml scrapes {kind} {workload}: {sorted(targets)}")


def admitted(policies, namespace, pod, port, src_namespace, src_pod):
    """Whether NetworkPolicies admit a pod of src_namespace with labels src_pod to port of a pod
    of namespace with labels pod (namespaces labelled kubernetes.io/metadata.name only)."""
    src_ns_labels = {"kubernetes.io/metadata.name": src_namespace}
    for p in policies:
        if p["metadata"].get("namespace") != namespace or not selects(p["spec"]["podSelector"], pod):
            continue
        for rule in p["spec"].get("ingress", []):
            if rule.get("ports") and port not in [q.get("port") for q in rule["ports"]]:
                continue
            for peer in rule.get("from", []):
                ns_sel, pod_sel = peer.get("namespaceSelector"), peer.get("podSelector")
                if ns_sel is None and pod_sel is None:
                    continue
                ns_ok = selects(ns_sel, src_ns_labels) if ns_sel is not None else src_namespace == namespace
                if ns_ok and (pod_sel is None or selects(pod_sel, src_pod)):
                    return True
    return False


def check_data_tier(prod_objects, data_objects):
    """overlays/prod/civil-data: the data tier's NetworkPolicies (namespace civil-data) against
    the prod overlay's pods. PostgreSQL (the CloudNativePG cluster behind pg-host) admits exactly
    the pods that are given a database (a *_PG_DSN), Redis's primary endpoint (redis-addr)
    exactly those that serve and are given CIVIL_REDIS_ADDR (the migration Jobs never dial it),
    and the Redis servers themselves no pod of civil-prod."""
    where = "prod/civil-data"
    f.check(data_objects and all(o["kind"] == "NetworkPolicy" for o in data_objects),
            f"{where}: renders {[o['kind'] for o in data_objects]}, not NetworkPolicies only")
    f.check(all(o["metadata"].get("namespace") == "civil-data" for o in data_objects),
            f"{where}: a policy outside namespace civil-data")
    config = next(o for o in prod_objects if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "civil-platform")
    pg_host, redis_host = config["data"]["pg-host"].split("."), config["data"]["redis-addr"].split(".")
    f.check(pg_host[1] == "civil-data" and pg_host[0].endswith("-rw"),
            f"{where}: pg-host {config['data']['pg-host']} is not a CloudNativePG -rw Service of civil-data")
    f.check(redis_host[1] == "civil-data" and config["data"]["redis-addr"].endswith(":6379"),
            f"{where}: redis-addr {config['data']['redis-addr']} is not port 6379 of civil-data")
    # The pods behind those Services: CloudNativePG labels a cluster's instances cnpg.io/cluster;
    # redis-primary's pods are app.kubernetes.io/name=redis-primary (RUNBOOK, "Start").
    pg_pod = {"cnpg.io/cluster": pg_host[0][:-len("-rw")], "cnpg.io/instanceRole": "primary"}
    proxy_pod = {"app.kubernetes.io/name": redis_host[0]}
    redis_pod = {"app.kubernetes.io/name": "redis"}
    namespace = "civil-prod"
    for o in prod_objects:
        if o["kind"] not in WORKLOADS:
            continue
        namespace = o["metadata"].get("namespace", namespace)
        template = o["spec"]["template"]
        labels = template["metadata"].get("labels", {})
        env = {e["name"]: e.get("value") for c in template["spec"]["containers"] for e in c.get("env", [])}
        needs_pg = any(v.endswith("_PG_DSN") for v in env)
        needs_redis = "CIVIL_REDIS_ADDR" in env and env.get("CIVIL_MIGRATE_ONLY") != "true"
        w = f"{where}: {o['kind']} {o['metadata']['name']} (tier {labels.get('civil.gov.cn/tier')})"
        pg = admitted(data_objects, "civil-data", pg_pod, 5432, namespace, labels)
        f.check(pg == needs_pg, f"{w} {'is' if pg else 'is not'} admitted to PostgreSQL")
        redis = admitted(data_objects, "civil-data", proxy_pod, 6379, namespace, labels)
        f.check(redis == needs_redis, f"{w} {'is' if redis else 'is not'} admitted to Redis")
        f.check(not admitted(data_objects, "civil-data", redis_pod, 6379, namespace, labels),
                f"{w} reaches a Redis server around redis-primary")
    # Nothing from another namespace of the cluster, except the operator and monitoring.
    for ns in ("default", "civil-dev", "ingress-nginx"):
        for port in (5432, 6379):
            f.check(not admitted(data_objects, "civil-data", pg_pod, port, ns, {})
                    and not admitted(data_objects, "civil-data", proxy_pod, port, ns, {}),
                    f"{where}: namespace {ns} reaches the data tier on {port}")


TLS_FILES = {"department": ("CIVIL_TLS_CERT", "CIVIL_TLS_KEY", "CIVIL_TLS_CA", "CIVIL_TLS_CLIENT_CA"),
             "gateway": ("CIVIL_GATEWAY_BACKEND_TLS_CERT", "CIVIL_GATEWAY_BACKEND_TLS_KEY",
                         "CIVIL_GATEWAY_BACKEND_TLS_CA")}


def check_grpc_tls(name, by_kind):
    """mTLS on every gRPC port: each variable names a file of a volume mounted from the component's
    own Secret (civil-grpc-tls-<component>); no native gRPC probe (plaintext) on a port that
    requires client certificates; in an overlay that carries the Secrets (dev), each component's
    certificate chains to the CA it is given and is valid for the name its callers dial."""
    secrets = {o["metadata"]["name"]: o for o in by_kind.get("Secret", [])}
    for d in by_kind.get("Deployment", []):
        component = d["metadata"]["name"]
        if component not in kit and component != "gateway":
            continue
        spec = d["spec"]["template"]["spec"]
        c = spec["containers"][0]
        where = f"{name}: Deployment {component}"
        env = {e["name"]: e.get("value") for e in c.get("env", [])}
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        files = {}
        for variable in TLS_FILES["gateway" if component == "gateway" else "department"]:
            path = env.get(variable)
            f.check(path is not None, f"{where}: {variable} not set (gRPC without TLS)")
            if path is None:
                continue
            directory, key = os.path.split(path)
            volume = volumes.get(mounts.get(directory, ""), {})
            secret = volume.get("secret", {}).get("secretName")
            # The dev overlay's secretGenerator adds a content hash to the name.
            f.check(re.fullmatch(f"civil-grpc-tls-{component}(-[a-z0-9]+)?", secret or ""),
                    f"{where}: {variable}={path} is not in the Secret civil-grpc-tls-{component}")
            if secret in secrets:
                data = secrets[secret].get("data", {})
                f.check(key in data, f"{where}: Secret {secret} has no {key}")
                if key in data:
                    files[variable.rsplit("_", 1)[1]] = base64.b64decode(data[key])
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            f.check("grpc" not in c.get(probe, {}),
                    f"{where}: {probe} is a plaintext gRPC probe on an mTLS port")
        if {"CERT", "CA"} <= set(files):
            with tempfile.TemporaryDirectory() as tmp:
                for k, v in files.items():
                    with open(os.path.join(tmp, k), "wb") as out:
                        out.write(v)
                command = ["openssl", "verify", "-CAfile", os.path.join(tmp, "CA")]
                if component != "gateway":
                    command += ["-verify_hostname", component]
                result = subprocess.run(command + [os.path.join(tmp, "CERT")], capture_output=True,
                                        text=True)
                f.check(result.returncode == 0,
                        f"{where}: its gRPC certificate does not verify: {result.stdout}{result.stderr}")


with tempfile.TemporaryDirectory() as tmp:
    shutil.copytree(os.path.join(ROOT, "deploy/k8s"), os.path.join(tmp, "k8s"),
                    ignore=shutil.ignore_patterns("secrets"))
    # base/ is what generate.py writes.
    gen = os.path.join(tmp, "gen")
    shutil.copytree(os.path.join(ROOT, "deploy/k8s"), gen, ignore=shutil.ignore_patterns("secrets"))
    shutil.rmtree(os.path.join(gen, "base"))
    run(["python3", os.path.join(gen, "generate.py")])
    cmp = filecmp.dircmp(os.path.join(ROOT, "deploy/k8s/base"), os.path.join(gen, "base"))
    f.check(not (cmp.diff_files or cmp.left_only or cmp.right_only),
            f"deploy/k8s/base differs from generate.py's output: {cmp.diff_files} {cmp.left_only} "
            f"{cmp.right_only}")
    f.check(filecmp.cmp(os.path.join(ROOT, "deploy/k8s/overlays/prod/certificates.yaml"),
                        os.path.join(gen, "overlays/prod/certificates.yaml"), shallow=False),
            "deploy/k8s/overlays/prod/certificates.yaml differs from generate.py's output")
    rendered = {}
    for overlay in sorted(os.listdir(os.path.join(ROOT, "deploy/k8s/overlays"))):
        objects = render(tmp, overlay)
        rendered[overlay] = objects
        f.check(len(objects) > 40, f"{overlay}: only {len(objects)} objects")
        check_overlay(overlay, objects)
    check_data_tier(rendered["prod"], render(tmp, "prod/civil-data"))

f.finish("deploy_k8s")

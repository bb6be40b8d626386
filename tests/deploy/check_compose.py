#!/usr/bin/env python3
"""deploy_compose: deploy/docker without a Docker engine. Parses docker-compose.yml and checks
that it runs every component with the variables, ports, secrets and volumes the binaries and
images expect, each with mTLS on its gRPC port from its own certificate; that make-secrets.sh
makes every secret file the compose file names; that the
entrypoint turns *_FILE secrets into variables; that runtime-packages.sh finds the Debian
packages of a built binary; that Prometheus scrapes what compose exposes; that the gateway,
Prometheus (9090) and Grafana (3000) publish the ports they listen on, Grafana's datasource is the
compose Prometheus, and its GF_*__FILE variables name secrets it mounts.

  check_compose.py <build dir>"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

from deploy_lib import (ROOT, Failures, callees, components, read, required_variables, run,
                        variables_read)

build = sys.argv[1]
f = Failures()
compose = yaml.safe_load(read("deploy/docker/docker-compose.yml"))
services = compose["services"]
kit = components()  # assistance … report with their ports
known = variables_read()
expected = set(kit) | {"gateway", "postgres", "redis", "prometheus", "grafana"}
f.check(set(services) == expected, f"compose services {sorted(services)} != {sorted(expected)}")


def env_of(svc):
    return {k: str(v) for k, v in (svc.get("environment") or {}).items()}


def port_of(addr):
    return int(addr.rsplit(":", 1)[1])


def secret_targets(svc):
    out = {}
    for s in svc.get("secrets", []):
        if isinstance(s, str):
            out[f"/run/secrets/{s}"] = s
        else:
            out[s.get("target", f"/run/secrets/{s['source']}")] = s["source"]
    return out


defined_secrets = compose.get("secrets", {})
with tempfile.TemporaryDirectory() as tmp:
    secrets_dir = os.path.join(tmp, "secrets")
    run([os.path.join(ROOT, "deploy/docker/make-secrets.sh"), secrets_dir])
    for name, spec in defined_secrets.items():
        rel = os.path.relpath(spec["file"], "secrets")
        f.check(os.path.isfile(os.path.join(secrets_dir, rel)),
                f"secret {name}: make-secrets.sh makes no {spec['file']}")
    with open(os.path.join(secrets_dir, "pii.key")) as k:
        f.check(re.fullmatch(r"[0-9a-f]{64}\n?", k.read()) is not None, "pii.key is not 64 hex")

for name, svc in services.items():
    for s in secret_targets(svc).values():
        f.check(s in defined_secrets, f"{name}: secret {s} is not defined")
    for v in svc.get("volumes", []):
        source = v.split(":")[0]
        if source.startswith("."):
            f.check(os.path.exists(os.path.join(ROOT, "deploy/docker", source)),
                    f"{name}: bind mount {source} does not exist")
        else:
            f.check(source in (compose.get("volumes") or {}), f"{name}: volume {source} undefined")
    for dep in svc.get("depends_on", {}):
        f.check(dep in services, f"{name}: depends on unknown {dep}")

for name in list(kit) + ["gateway"]:
    svc = services.get(name)
    if svc is None:
        continue
    env = env_of(svc)
    # Every CIVIL_ variable it sets is one a binary reads (X_FILE: the entrypoint reads the file
    # into X); PGPASSWORD is libpq's.
    for var in env:
        base = var[:-5] if var.endswith("_FILE") else var
        f.check(base in known or base == "PGPASSWORD", f"{name}: {var} is read by no binary")
    targets = secret_targets(svc)
    for var, value in env.items():
        if var.endswith("_FILE") or value.startswith("/run/secrets/"):
            if var == "CIVIL_SERVICE_KEYS":
                f.check(any(t.startswith(value + "/") for t in targets), f"{name}: {value} empty")
            else:
                f.check(value in targets, f"{name}: {var}={value} is no secret it mounts")
        if value.startswith("/usr/local/share/civil/seed/"):
            f.check(os.path.isfile(os.path.join(ROOT, "deploy/local/seed", os.path.basename(value))),
                    f"{name}: {value} is not in deploy/local/seed")
    # mTLS on every gRPC port, with the component's own certificate (make-secrets.sh's
    # grpc-tls/<component>.pem) and the CA of them all.
    tls = (("CIVIL_GATEWAY_BACKEND_TLS_CERT", "CIVIL_GATEWAY_BACKEND_TLS_KEY",
            "CIVIL_GATEWAY_BACKEND_TLS_CA") if name == "gateway" else
           ("CIVIL_TLS_CERT", "CIVIL_TLS_KEY", "CIVIL_TLS_CA", "CIVIL_TLS_CLIENT_CA"))
    for var in tls:
        f.check(var in env, f"{name}: {var} not set (gRPC without TLS)")
        source = targets.get(env.get(var, ""), "")
        want = ("grpc-tls/ca.pem" if var.endswith("_CA") else
                f"grpc-tls/{name}.{'pem' if var.endswith('_CERT') else 'key'}")
        f.check(defined_secrets.get(source, {}).get("file") == f"secrets/{want}",
                f"{name}: {var} is not secrets/{want}")
    args = (svc.get("build") or {}).get("args", {})
    f.check(args.get("COMPONENT") == name, f"{name}: build arg COMPONENT != {name}")
    f.check(svc.get("read_only") is True, f"{name}: root filesystem not read-only")
    f.check(str(svc.get("user", "")).split(":")[0] not in ("", "0", "root"), f"{name}: runs as root")
    if name == "gateway":
        f.check(callees("gateway") == set(kit), f"gateway: its code calls {sorted(callees('gateway'))}")
        for d, (g, _) in kit.items():
            addr = env.get(f"CIVIL_{d.upper()}_ADDR", "")
            f.check(addr == f"{d}:{g}", f"gateway: CIVIL_{d.upper()}_ADDR={addr!r}")
        continue
    grpc, metrics = kit[name]
    upper = name.upper()
    for var in required_variables(name):
        f.check(var in env or var + "_FILE" in env, f"{name}: required {var} not set")
    f.check(env.get(f"CIVIL_{upper}_ADDR", "").endswith(f":{grpc}"), f"{name}: gRPC port != {grpc}")
    f.check(env.get(f"CIVIL_{upper}_METRICS_ADDR", "").endswith(f":{metrics}"),
            f"{name}: metrics port != {metrics}")
    f.check(f"dbname=civil_{name}" in env.get(f"CIVIL_{upper}_PG_DSN", ""), f"{name}: database")
    f.check(sorted(map(int, svc.get("expose", []))) == sorted([grpc, metrics]), f"{name}: expose")
    # It trusts every component's public key and signs with its own.
    for other in kit:
        f.check(f"/run/secrets/service-keys/{other}.pub" in targets, f"{name}: no {other}.pub")
    f.check(env.get(f"CIVIL_{upper}_SERVICE_KEY") in targets, f"{name}: no service key mounted")
    # Whom it calls is reachable by compose name, and it is given exactly the addresses its code
    # reads (deploy_lib.callees).
    called = set()
    for var, value in env.items():
        m = re.fullmatch(r"CIVIL_([A-Z]+)_ADDR", var)
        if m and m.group(1) != upper and m.group(1).lower() in kit:
            callee = m.group(1).lower()
            called.add(callee)
            f.check(value == f"{callee}:{kit[callee][0]}", f"{name}: {var}={value}")
    f.check(called == callees(name), f"{name}: sets the addresses of {sorted(called)}, its code "
                                     f"reads those of {sorted(callees(name))}")

# The databases the init script makes are the ones the services name.
init = read("deploy/k8s/overlays/dev/postgres/10-databases.sh")
for name in kit:
    f.check(re.search(rf"\b{name}\b", init) is not None, f"init script makes no civil_{name}")

# Prometheus scrapes each component at its compose name and metrics port.
prom = yaml.safe_load(read("deploy/prometheus/prometheus.yml"))
targets = {j["job_name"]: j["static_configs"][0]["targets"] for j in prom["scrape_configs"]}
for name, (_, metrics) in kit.items():
    f.check(targets.get(f"civil-{name}") == [f"{name}:{metrics}"], f"prometheus: civil-{name}")
f.check(targets.get("civil-gateway") == ["gateway:9100"], "prometheus: civil-gateway")
gw = env_of(services["gateway"])
f.check(gw.get("CIVIL_GATEWAY_METRICS_LISTEN", "").endswith(":9100"), "gateway metrics port")


def container_ports(svc):
    """(published, exposed): the container side of `ports` ("8080:8080", "127.0.0.1:80:8080/tcp",
    a long-syntax mapping) and the `expose` list."""
    published = set()
    for p in svc.get("ports", []):
        if isinstance(p, dict):
            published.add(int(p["target"]))
        else:
            published.add(int(str(p).split("/")[0].rsplit(":", 1)[-1]))
    return published, {int(str(p).split("/")[0]) for p in svc.get("expose", [])}


def flag(svc, name, default):
    for arg in svc.get("command") or []:
        if str(arg).startswith(f"--{name}="):
            return str(arg).split("=", 1)[1]
    return default


# The gateway publishes the port it listens on (for the TLS proxy in front) and exposes its metrics
# port to Prometheus; nothing else.
published, exposed = container_ports(services["gateway"])
listen = port_of(gw.get("CIVIL_GATEWAY_LISTEN", ":0"))
metrics = port_of(gw.get("CIVIL_GATEWAY_METRICS_LISTEN", ":0"))
f.check(listen in published, f"gateway: CIVIL_GATEWAY_LISTEN port {listen} is not published {published}")
f.check(metrics in published | exposed, f"gateway: metrics port {metrics} neither exposed nor published")
f.check(published | exposed == {listen, metrics},
        f"gateway: ports {sorted(published | exposed)} != what it listens on {[listen, metrics]}")
# Prometheus on 9090 and Grafana on 3000, published (RUNBOOK, "Start").
prometheus, grafana = services["prometheus"], services["grafana"]
prom_port = port_of(flag(prometheus, "web.listen-address", "0.0.0.0:9090"))
f.check(prom_port == 9090, f"prometheus listens on {prom_port}, not 9090")
f.check(9090 in container_ports(prometheus)[0], "prometheus: 9090 is not published")
f.check(flag(prometheus, "config.file", "") in
        [v.split(":")[1] for v in prometheus.get("volumes", []) if "prometheus.yml" in v.split(":")[0]],
        "prometheus: --config.file is not the mounted deploy/prometheus/prometheus.yml")
genv = env_of(grafana)
grafana_port = int(genv.get("GF_SERVER_HTTP_PORT", "3000"))
f.check(grafana_port == 3000, f"grafana listens on {grafana_port}, not 3000")
f.check(3000 in container_ports(grafana)[0], "grafana: 3000 is not published")
# Grafana's datasource is the compose Prometheus at the port it listens on.
datasources = yaml.safe_load(read("deploy/grafana/provisioning/datasources/prometheus.yml"))
for ds in datasources["datasources"]:
    m = re.fullmatch(r"http://([\w.-]+):(\d+)/?", ds.get("url", ""))
    f.check(m is not None and m.group(1) == "prometheus" and int(m.group(2)) == prom_port,
            f"grafana datasource {ds.get('name')}: url {ds.get('url')} is not http://prometheus:{prom_port}")
# Its provisioning and dashboards are mounted where it and the dashboard provider look.
mounts = {v.split(":")[1]: v.split(":")[0] for v in grafana.get("volumes", [])}
f.check(mounts.get("/etc/grafana/provisioning") == "../grafana/provisioning", "grafana: provisioning")
providers = yaml.safe_load(read("deploy/grafana/provisioning/dashboards/civil.yml"))["providers"]
for provider in providers:
    f.check(mounts.get(provider["options"]["path"]) == "../grafana/dashboards",
            f"grafana: dashboards are not mounted at {provider['options']['path']}")
# Grafana reads GF_<SECTION>_<KEY>__FILE from the file: each one is a secret it mounts.
gtargets = secret_targets(grafana)
file_vars = [v for v in genv if v.startswith("GF_") and v.endswith("__FILE")]
f.check("GF_SECURITY_ADMIN_PASSWORD__FILE" in file_vars, "grafana: admin password not from a secret")
for var in file_vars:
    f.check(genv[var] in gtargets and gtargets[genv[var]] in defined_secrets,
            f"grafana: {var}={genv[var]} is no secret it mounts")
f.check(not [v for v in genv if re.fullmatch(r"GF_\w*PASSWORD", v)],
        "grafana: a password in the environment")

# The Dockerfile: non-root, a health check, and every file it copies exists.
dockerfile = read("deploy/docker/Dockerfile")
f.check(re.search(r"^USER 10001", dockerfile, re.M) is not None, "Dockerfile: USER is not 10001")
f.check("HEALTHCHECK" in dockerfile, "Dockerfile: no HEALTHCHECK")
for src in re.findall(r"^COPY (deploy/\S+)", dockerfile, re.M):
    f.check(os.path.exists(os.path.join(ROOT, src)), f"Dockerfile copies missing {src}")

# The entrypoint: *_FILE becomes the variable, then the component's binary runs.
with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "pii"), "w") as k:
        k.write("ab" * 32 + "\n")
    stub = os.path.join(tmp, "assistance_server")
    with open(stub, "w") as s:
        s.write("#!/bin/sh\necho \"key=$CIVIL_PII_KEY file=${CIVIL_PII_KEY_FILE:-unset} args=$*\"\n")
    os.chmod(stub, 0o755)
    out = subprocess.run([os.path.join(ROOT, "deploy/docker/entrypoint.sh"), "--x"],
                         env={"PATH": f"{tmp}:/usr/bin:/bin", "CIVIL_COMPONENT": "assistance",
                              "CIVIL_PII_KEY_FILE": os.path.join(tmp, "pii")},
                         capture_output=True, text=True)
    f.check(out.stdout.strip() == f"key={'ab' * 32} file=unset args=--x",
            f"entrypoint: {out.stdout!r} {out.stderr!r}")
    bad = subprocess.run([os.path.join(ROOT, "deploy/docker/entrypoint.sh")],
                         env={"PATH": f"{tmp}:/usr/bin:/bin", "CIVIL_COMPONENT": "assistance",
                              "CIVIL_PII_KEY_FILE": os.path.join(tmp, "missing")},
                         capture_output=True, text=True)
    f.check(bad.returncode == 2 and "CIVIL_PII_KEY_FILE" in bad.stderr,
            f"entrypoint with a missing secret file: {bad.returncode} {bad.stderr!r}")

# runtime-packages.sh on the built binaries: runtime libraries, no -dev package.
binary = os.path.join(build, "services/assistance/assistance_server")
packages = run([os.path.join(ROOT, "deploy/docker/runtime-packages.sh"), binary,
                os.path.join(build, "gateway/civilctl/civilctl")]).stdout.split()
f.check(any(p.startswith("libgrpc++1") for p in packages), f"runtime packages: {packages}")
f.check(any(p.startswith("libpqxx-6") for p in packages), f"runtime packages: {packages}")
f.check(not [p for p in packages if p.endswith("-dev")], f"runtime packages with -dev: {packages}")

f.finish("deploy_compose")

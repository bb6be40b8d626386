#!/usr/bin/env python3
"""Writes deploy/k8s/base/*.yaml: one file per component, all of one shape. Edit this script, not
the YAML, then run it (tests/deploy checks that the committed files are what it writes)."""
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

# name, gRPC port, metrics port, who calls its gRPC port besides the gateway and report.
DEPARTMENTS = [
    ("assistance", 50051, 9101, ["affairs", "eldercare", "exchange"]),
    ("eldercare", 50052, 9102, ["exchange"]),
    ("childwelfare", 50053, 9103, ["exchange"]),
    ("governance", 50054, 9104, []),
    ("socialorg", 50055, 9105, []),
    ("affairs", 50056, 9106, ["exchange"]),
]
REPORT = ("report", 50057, 9107, [])
# Other departments' systems' facts in (services/exchange): called through the gateway only; it
# calls assistance, affairs, eldercare and childwelfare for the registry search.
EXCHANGE = ("exchange", 50058, 9108, [])
KIT = DEPARTMENTS + [REPORT, EXCHANGE]
PART_OF = "civil-platform"
UID = 10001
# mTLS on every gRPC port (services/common/tls.h): each component's certificate, key and the CA in
# the Secret civil-grpc-tls-<name> (kubernetes.io/tls with ca.crt, as cert-manager writes it),
# mounted here. The gateway's client certificate is civil-grpc-tls-gateway.
GRPC_TLS = "/run/secrets/grpc-tls"


def labels(name, tier):
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": PART_OF,
            "civil.gov.cn/tier": tier}


def pod_security():
    return {"runAsNonRoot": True, "runAsUser": UID, "runAsGroup": UID, "fsGroup": UID,
            "seccompProfile": {"type": "RuntimeDefault"}}


def container_security():
    return {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
            "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}}


def secret_env(name, secret, key):
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def config_env(name, key):
    return {"name": name, "valueFrom": {"configMapKeyRef": {"name": "civil-platform", "key": key}}}


def kit_env(name, grpc, metrics):
    upper = name.upper()
    env = [
        {"name": f"CIVIL_{upper}_ADDR", "value": f"0.0.0.0:{grpc}"},
        {"name": f"CIVIL_{upper}_METRICS_ADDR", "value": f"0.0.0.0:{metrics}"},
        config_env("CIVIL_PG_HOST", "pg-host"),
        config_env("CIVIL_PG_PORT", "pg-port"),
        config_env("CIVIL_PG_SSLMODE", "pg-sslmode"),
        {"name": f"CIVIL_{upper}_PG_DSN",
         "value": f"host=$(CIVIL_PG_HOST) port=$(CIVIL_PG_PORT) user=civil dbname=civil_{name} "
                  "sslmode=$(CIVIL_PG_SSLMODE)"},
        secret_env("PGPASSWORD", "civil-postgres", "password"),
        config_env("CIVIL_REDIS_ADDR", "redis-addr"),
        secret_env("CIVIL_PII_KEY", "civil-pii-key", "pii.key"),
        {"name": "CIVIL_JWT_KEYS", "value": "/run/secrets/jwt/idp.pub"},
        config_env("CIVIL_JWT_ISSUER", "jwt-issuer"),
        config_env("CIVIL_JWT_AUDIENCE", "jwt-audience"),
        {"name": "CIVIL_SERVICE_KEYS", "value": "/run/secrets/service-keys"},
        {"name": f"CIVIL_{upper}_SERVICE_KEY", "value": f"/run/secrets/service-key/{name}.key"},
        {"name": "CIVIL_TLS_CERT", "value": f"{GRPC_TLS}/tls.crt"},
        {"name": "CIVIL_TLS_KEY", "value": f"{GRPC_TLS}/tls.key"},
        {"name": "CIVIL_TLS_CA", "value": f"{GRPC_TLS}/ca.crt"},
        {"name": "CIVIL_TLS_CLIENT_CA", "value": f"{GRPC_TLS}/ca.crt"},
    ]
    # The addresses of the departments it calls: report all of them, the others those whose
    # callers (DEPARTMENTS) name it; the same table opens the callees' NetworkPolicies to it.
    env += [{"name": f"CIVIL_{d.upper()}_ADDR", "value": f"{d}:{g}"}
            for d, g, _, callers in DEPARTMENTS if name == "report" or name in callers]
    if name == "assistance":
        env.append({"name": "CIVIL_ASSISTANCE_SEED_STANDARDS",
                    "value": "/usr/local/share/civil/seed/assistance-standards-340722.json"})
    return env


def kit_volumes(name):
    mounts = [
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "jwt", "mountPath": "/run/secrets/jwt", "readOnly": True},
        {"name": "service-keys", "mountPath": "/run/secrets/service-keys", "readOnly": True},
        {"name": "service-key", "mountPath": "/run/secrets/service-key", "readOnly": True},
        {"name": "grpc-tls", "mountPath": GRPC_TLS, "readOnly": True},
    ]
    volumes = [
        {"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
        {"name": "jwt", "secret": {"secretName": "civil-jwt-keys"}},
        {"name": "service-keys", "secret": {"secretName": "civil-service-keys-public"}},
        {"name": "service-key", "secret": {"secretName": f"civil-service-key-{name}",
                                           "defaultMode": 0o440}},
        grpc_tls_volume(name),
    ]
    return mounts, volumes


def grpc_tls_volume(name):
    return {"name": "grpc-tls", "secret": {"secretName": f"civil-grpc-tls-{name}", "defaultMode": 0o440}}


def resources(cpu="250m", memory="256Mi", cpu_limit="1", memory_limit="512Mi"):
    return {"requests": {"cpu": cpu, "memory": memory},
            "limits": {"cpu": cpu_limit, "memory": memory_limit}}


def kit_component(name, grpc, metrics, callers):
    tier = "report" if name == "report" else "department"
    lab = labels(name, tier)
    mounts, volumes = kit_volumes(name)
    # Kubernetes' own gRPC probe speaks plaintext only; the ports require client certificates, so
    # the probe is the image's health check (civilctl health with the component's certificate).
    probe = {"exec": {"command": ["civil-healthcheck"]}, "periodSeconds": 10, "timeoutSeconds": 3}
    container = {
        "name": name, "image": f"civil/{name}", "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "grpc", "containerPort": grpc}, {"name": "metrics", "containerPort": metrics}],
        "env": kit_env(name, grpc, metrics),
        "readinessProbe": dict(probe, failureThreshold=3),
        "livenessProbe": dict(probe, failureThreshold=6, initialDelaySeconds=10),
        "startupProbe": dict(probe, failureThreshold=30, periodSeconds=2),
        "resources": resources(),
        "securityContext": container_security(),
        "volumeMounts": mounts,
    }
    pod_spec = {"automountServiceAccountToken": False, "securityContext": pod_security(),
                "terminationGracePeriodSeconds": 30, "containers": [container], "volumes": volumes}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": lab},
        "spec": {
            "replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {"metadata": {"labels": lab, "annotations": {
                "prometheus.io/scrape": "true", "prometheus.io/port": str(metrics),
                "prometheus.io/job": f"civil-{name}"}}, "spec": pod_spec},
        },
    }
    job_container = {k: v for k, v in container.items()
                     if k not in ("ports", "readinessProbe", "livenessProbe", "startupProbe")}
    job_container = dict(job_container, name="migrate",
                         env=container["env"] + [{"name": "CIVIL_MIGRATE_ONLY", "value": "true"}])
    job = {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": f"migrate-{name}", "labels": labels(f"migrate-{name}", "migration"),
                     "annotations": {"argocd.argoproj.io/hook": "PreSync",
                                     "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation"}},
        "spec": {"backoffLimit": 3, "ttlSecondsAfterFinished": 86400,
                 "template": {"metadata": {"labels": labels(f"migrate-{name}", "migration")},
                              "spec": dict(pod_spec, restartPolicy="Never",
                                           containers=[job_container])}},
    }
    service = {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": lab},
        "spec": {"selector": {"app.kubernetes.io/name": name},
                 "ports": [{"name": "grpc", "port": grpc, "targetPort": "grpc", "appProtocol": "grpc"},
                           {"name": "metrics", "port": metrics, "targetPort": "metrics"}]},
    }
    sources = [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": n}}}
               for n in ["gateway"] + ([] if name in ("report", "exchange") else ["report"]) + callers]
    netpol = {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": name, "labels": lab},
        "spec": {"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}},
                 "policyTypes": ["Ingress"],
                 "ingress": [{"from": sources, "ports": [{"port": grpc}]}, monitoring_rule(metrics)]},
    }
    return [deployment, service, job, hpa(name), pdb(name), netpol]


def monitoring_rule(port):
    return {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
            "ports": [{"port": port}]}


def hpa(name):
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": name, "labels": labels(name, "autoscaling")},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                     "minReplicas": 2, "maxReplicas": 6,
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}


def pdb(name):
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "labels": labels(name, "availability")},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": name}}}}


def gateway():
    lab = labels("gateway", "gateway")
    env = [
        {"name": "CIVIL_GATEWAY_LISTEN", "value": "0.0.0.0:8443"},
        {"name": "CIVIL_GATEWAY_METRICS_LISTEN", "value": "0.0.0.0:9100"},
        {"name": "CIVIL_GATEWAY_TLS_CERT", "value": "/run/secrets/tls/tls.crt"},
        {"name": "CIVIL_GATEWAY_TLS_KEY", "value": "/run/secrets/tls/tls.key"},
        {"name": "CIVIL_GATEWAY_JWT_KEYS", "value": "/run/secrets/jwt/idp.pub"},
        config_env("CIVIL_GATEWAY_JWT_ISSUER", "jwt-issuer"),
        config_env("CIVIL_GATEWAY_JWT_AUDIENCE", "jwt-audience"),
        config_env("CIVIL_REDIS_ADDR", "redis-addr"),
        config_env("CIVIL_GATEWAY_TRUSTED_PROXIES", "trusted-proxies"),
        {"name": "CIVIL_GATEWAY_BACKEND_TLS_CA", "value": f"{GRPC_TLS}/ca.crt"},
        {"name": "CIVIL_GATEWAY_BACKEND_TLS_CERT", "value": f"{GRPC_TLS}/tls.crt"},
        {"name": "CIVIL_GATEWAY_BACKEND_TLS_KEY", "value": f"{GRPC_TLS}/tls.key"},
    ] + [{"name": f"CIVIL_{d.upper()}_ADDR", "value": f"{d}:{g}"} for d, g, _, _ in KIT]
    probe = {"httpGet": {"path": "/healthz", "port": 8443, "scheme": "HTTPS"},
             "periodSeconds": 10, "timeoutSeconds": 3}
    container = {
        "name": "gateway", "image": "civil/gateway", "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "https", "containerPort": 8443}, {"name": "metrics", "containerPort": 9100}],
        "env": env,
        "readinessProbe": dict(probe, failureThreshold=3),
        "livenessProbe": dict(probe, failureThreshold=6, initialDelaySeconds=10),
        "resources": resources("500m", "256Mi", "2", "512Mi"),
        "securityContext": container_security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"},
                         {"name": "jwt", "mountPath": "/run/secrets/jwt", "readOnly": True},
                         {"name": "tls", "mountPath": "/run/secrets/tls", "readOnly": True},
                         {"name": "grpc-tls", "mountPath": GRPC_TLS, "readOnly": True}],
    }
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "gateway", "labels": lab},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
                 "template": {"metadata": {"labels": lab, "annotations": {
                     "prometheus.io/scrape": "true", "prometheus.io/port": "9100",
                     "prometheus.io/job": "civil-gateway"}},
                     "spec": {"automountServiceAccountToken": False, "securityContext": pod_security(),
                              "terminationGracePeriodSeconds": 30, "containers": [container],
                              "volumes": [{"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
                                          {"name": "jwt", "secret": {"secretName": "civil-jwt-keys"}},
                                          {"name": "tls", "secret": {"secretName": "civil-gateway-tls"}},
                                          grpc_tls_volume("gateway")]}}},
    }
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "gateway", "labels": lab},
               "spec": {"selector": {"app.kubernetes.io/name": "gateway"},
                        "ports": [{"name": "https", "port": 443, "targetPort": "https"},
                                  {"name": "metrics", "port": 9100, "targetPort": "metrics"}]}}
    netpol = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
              "metadata": {"name": "gateway", "labels": lab},
              "spec": {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}},
                       "policyTypes": ["Ingress"],
                       # The public door: clients through the ingress controller's namespace.
                       "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {
                           "kubernetes.io/metadata.name": "ingress-nginx"}}}], "ports": [{"port": 8443}]},
                           monitoring_rule(9100)]}}
    return [deployment, service, hpa("gateway"), pdb("gateway"), netpol]


def platform():
    default_deny = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                    "metadata": {"name": "default-deny-ingress", "labels": labels("default-deny", "network")},
                    "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}
    config = {"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": {"name": "civil-platform", "labels": labels("civil-platform", "config")},
              "data": {"pg-host": "postgres", "pg-port": "5432", "pg-sslmode": "prefer", "redis-addr": "redis:6379",
                       "jwt-issuer": "civil-idp", "jwt-audience": "civil-api",
                       "trusted-proxies": "10.0.0.0/8"}}
    return [default_deny, config]


def write(path, objects):
    with open(path, "w") as out:
        out.write("# Written by deploy/k8s/generate.py; edit the script, not this file.\n")
        yaml.safe_dump_all(objects, out, sort_keys=False, width=100)


def main():
    base = os.path.join(HERE, "base")
    os.makedirs(base, exist_ok=True)
    files = ["platform.yaml"]
    write(os.path.join(base, "platform.yaml"), platform())
    for name, grpc, metrics, callers in KIT:
        write(os.path.join(base, f"{name}.yaml"), kit_component(name, grpc, metrics, callers))
        files.append(f"{name}.yaml")
    write(os.path.join(base, "gateway.yaml"), gateway())
    files.append("gateway.yaml")
    kustomization = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                     "resources": files}
    with open(os.path.join(base, "kustomization.yaml"), "w") as out:
        out.write("# Written by deploy/k8s/generate.py; edit the script, not this file.\n")
        yaml.safe_dump(kustomization, out, sort_keys=False)


# The overlays' per-object patches. Written as patchesJson6902 by name, which every kustomize
# renders, down to the v2.0.3 inside Debian 12's kubernetes-client (kubectl 1.20).
SCALED = [n for n, _, _, _ in KIT] + ["gateway"]


def patch_entries(patches):
    """patches: [(group, version, kind, name, path)]"""
    return [{"target": {"group": g, "version": v, "kind": k, "name": n}, "path": p} if g else
            {"target": {"version": v, "kind": k, "name": n}, "path": p}
            for g, v, k, n, p in patches]


def certificates():
    """deploy/k8s/overlays/prod/certificates.yaml: cert-manager issues and renews every component's
    gRPC certificate from the bureau's CA (ClusterIssuer civil-grpc-ca), into the Secrets the base
    mounts. Renewal writes the Secret; the pods pick the new files up at their next restart."""
    objects = []
    for name, _, _, _ in KIT:
        objects.append(certificate(name, ["server auth", "client auth"], [name, "localhost"]))
    objects.append(certificate("gateway", ["client auth"], []))
    path = os.path.join(HERE, "overlays", "prod", "certificates.yaml")
    write(path, objects)


def certificate(name, usages, dns_names):
    spec = {"secretName": f"civil-grpc-tls-{name}", "commonName": f"civil-{name}",
            "duration": "2160h", "renewBefore": "720h",
            "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
            "usages": ["digital signature"] + usages,
            "issuerRef": {"kind": "ClusterIssuer", "name": "civil-grpc-ca", "group": "cert-manager.io"}}
    if dns_names:
        spec["dnsNames"] = dns_names
        spec["ipAddresses"] = ["127.0.0.1"]
    return {"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
            "metadata": {"name": f"civil-grpc-tls-{name}", "labels": labels(name, "certificate")},
            "spec": spec}


def overlays():
    for env in ("dev", "prod"):
        patches = [("", "v1", "ConfigMap", "civil-platform", "patches/platform.yaml")] if env == "prod" else []
        for n in SCALED:
            patches.append(("apps", "v1", "Deployment", n, "patches/deployment.yaml"))
            patches.append(("autoscaling", "v2", "HorizontalPodAutoscaler", n, "patches/hpa.yaml"))
            patches.append(("policy", "v1", "PodDisruptionBudget", n, "patches/pdb.yaml"))
        path = os.path.join(HERE, "overlays", env, "kustomization.yaml")
        head = open(path).read().split("# --- generated below", 1)[0]
        with open(path, "w") as out:
            out.write(head + "# --- generated below by deploy/k8s/generate.py (the patches' targets)\n")
            yaml.safe_dump({"patchesJson6902": patch_entries(patches)}, out, sort_keys=False)


if __name__ == "__main__":
    main()
    overlays()
    certificates()

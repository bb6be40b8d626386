#!/usr/bin/env python3
"""deploy_compose_config: Docker Compose itself reads deploy/docker/docker-compose.yml. Debian 12's
docker-compose 1.29.2 (deploy/local/deps.sh) validates and renders a compose file without a Docker
engine: `docker-compose config -q` on a copy of deploy/ with a fresh set of secrets from
make-secrets.sh, then the rendered configuration: every secret file and bind-mount source it
resolves exists, the build context holds the Dockerfile, each service's environment is the one
check_compose.py (PyYAML with its merge keys) reads, and the project is named `civil` (by
deploy/docker/.env, without -p).

  check_compose_config.py"""
import os
import shutil
import subprocess
import tempfile

import yaml

from deploy_lib import ROOT, Failures, read, run

f = Failures()
compose_bin = shutil.which("docker-compose")
if compose_bin is None:
    f.check(False, "docker-compose is not installed (deploy/local/deps.sh installs Debian's)")
    f.finish("deploy_compose_config")

# No COMPOSE_* or DOCKER_* of the caller's: the file and its .env alone decide.
env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "DOCKER_"))}
source = yaml.safe_load(read("deploy/docker/docker-compose.yml"))

with tempfile.TemporaryDirectory() as tmp:
    deploy = os.path.join(tmp, "deploy")
    shutil.copytree(os.path.join(ROOT, "deploy"), deploy, ignore=shutil.ignore_patterns("secrets"))
    docker_dir = os.path.join(deploy, "docker")
    run([os.path.join(ROOT, "deploy/docker/make-secrets.sh"), os.path.join(docker_dir, "secrets")])
    compose_file = os.path.join(docker_dir, "docker-compose.yml")

    def compose(*args):
        return subprocess.run([compose_bin, "-f", compose_file, *args], capture_output=True,
                              text=True, env=env, cwd=tmp)

    version = compose("version", "--short")
    print(f"docker-compose {version.stdout.strip()}")
    quiet = compose("config", "-q")
    f.check(quiet.returncode == 0 and not quiet.stderr.strip(),
            f"docker-compose config -q: exit {quiet.returncode}: {quiet.stderr.strip()}")
    rendered_run = compose("config")
    f.check(rendered_run.returncode == 0, f"docker-compose config: {rendered_run.stderr.strip()}")
    rendered = yaml.safe_load(rendered_run.stdout) if rendered_run.returncode == 0 else {}

    services = rendered.get("services", {})
    f.check(set(services) == set(source["services"]),
            f"rendered services {sorted(services)} != {sorted(source['services'])}")
    for name, spec in (rendered.get("secrets") or {}).items():
        path = spec.get("file", "")
        f.check(path.startswith(docker_dir + "/") and os.path.isfile(path),
                f"secret {name}: {path} does not exist (make-secrets.sh makes no such file)")
    for name, svc in services.items():
        for v in svc.get("volumes", []):
            src = v.split(":")[0] if isinstance(v, str) else v.get("source", "")
            if src.startswith("/"):
                f.check(src.startswith(deploy + "/") and os.path.exists(src),
                        f"{name}: bind mount {src} does not exist")
        build = svc.get("build")
        if build:
            f.check(os.path.isfile(os.path.join(build["context"], build["dockerfile"])),
                    f"{name}: no {build['dockerfile']} in the build context {build['context']}")
        # The environment compose gives the container is the one PyYAML reads (the merge keys
        # of x-department-env, quoting), which check_compose.py's checks rely on.
        want = {k: str(v) for k, v in (source["services"].get(name, {}).get("environment") or {}).items()}
        got = {k: str(v) for k, v in (svc.get("environment") or {}).items()}
        f.check(got == want, f"{name}: compose's environment differs from PyYAML's: "
                             f"{sorted(set(got.items()) ^ set(want.items()))}")

    # The project name (volumes civil_pgdata, …) comes from deploy/docker/.env, as
    # docker-compose resolves it for a file in that directory (the file has no `name:`, which
    # 1.29 rejects).
    probe = subprocess.run(
        ["/usr/bin/python3", "-c",
         "import sys\n"
         "from compose.cli.command import get_project_name\n"
         "from compose.config.environment import Environment\n"
         "print(get_project_name(sys.argv[1], None, Environment.from_env_file(sys.argv[1])))",
         docker_dir], capture_output=True, text=True, env=env, cwd=tmp)
    f.check(probe.returncode == 0 and probe.stdout.strip() == "civil",
            f"compose project name: {probe.stdout.strip()!r} {probe.stderr.strip()}")
    f.check("name" not in source, "docker-compose.yml: a top-level name: (docker-compose 1.29 "
                                  "rejects it; deploy/docker/.env names the project)")

f.finish("deploy_compose_config")

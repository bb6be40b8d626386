"""What the deploy tests share: the repository's root, the components with their ports as
`make run` starts them (deploy/local/run.sh), and the environment variables the binaries read
(from their sources: services/common/config.cc and the departments' *_config.cc, the gateway's
envname() flags)."""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def components():
    """{name: (grpc_port, metrics_port)} from deploy/local/run.sh's SERVICES."""
    block = re.search(r"SERVICES=\((.*?)\n\)", read("deploy/local/run.sh"), re.S).group(1)
    out = {}
    for name, grpc, metrics in re.findall(r'"(\w+) (\d+) (\d+)"', block):
        out[name] = (int(grpc), int(metrics))
    return out


def variables_read():
    """Every CIVIL_* variable some binary reads: literal names in the sources, and the
    per-service names built from a prefix (CIVIL_<SERVICE>_ADDR, …) for every component."""
    names = set()
    prefixed = set()
    for top in ("services", "gateway"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if not f.endswith(".cc"):
                    continue
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                names.update(re.findall(r'"(CIVIL_[A-Z0-9_]+)"', text))
                prefixed.update(re.findall(r'prefix \+ "([A-Z_]+)"', text))
                # StrCat("CIVIL_", Upper(name), "_SUFFIX")
                prefixed.update(s.lstrip("_") for s in re.findall(
                    r'StrCat\("CIVIL_", absl::AsciiStrToUpper\([^)]*\), "(_[A-Z_]+)"\)', text))
    for name in components():
        for suffix in prefixed:
            names.add(f"CIVIL_{name.upper()}_{suffix}")
    # Prefix names the scan reports as literals ("CIVIL_" itself) are no variables.
    names.discard("CIVIL_")
    return names


def _sources_of(component):
    """The non-test sources of a component's server (services/<component>/, the gateway's gateway/
    without civilctl) and the services/common files they include, transitively (a header's .cc
    with it: enrolment_check.h brings enrolment_check.cc, which reads CIVIL_ASSISTANCE_ADDR)."""
    top = "gateway" if component == "gateway" else f"services/{component}"
    todo = [os.path.join(top, f) for f in sorted(os.listdir(os.path.join(ROOT, top)))
            if f.endswith((".cc", ".h")) and "_test" not in f and "datagen" not in f]
    seen = set()
    while todo:
        path = todo.pop()
        if path in seen or not os.path.isfile(os.path.join(ROOT, path)):
            continue
        seen.add(path)
        for inc in re.findall(r'^#include "(services/common/[\w/]+)\.h"', read(path), re.M):
            todo += [inc + ".h", inc + ".cc"]
    return sorted(seen)


def callees(component):
    """The components whose gRPC address `component`'s code reads: a literal "CIVIL_<X>_ADDR", or
    StrCat("CIVIL_", AsciiStrToUpper(name), "_ADDR") over a table of {"<name>", <port>} pairs in
    the same file (report's departments, the gateway's backends). Its own listen address
    (CIVIL_<SERVICE>_ADDR, built from a prefix in services/common/config.cc) is not a call."""
    names = set(components()) | {"gateway"}
    out = set()
    for path in _sources_of(component):
        text = read(path)
        out.update(x.lower() for x in re.findall(r'"CIVIL_([A-Z]+)_ADDR"', text))
        if re.search(r'StrCat\("CIVIL_", absl::AsciiStrToUpper\([^)]*\), "_ADDR"\)', text):
            out.update(re.findall(r'\{"(\w+)",\s*\d+\}', text))
    return (out & names) - {component}


def required_variables(name):
    """What LoadServiceConfig requires of a kit component (env.Required)."""
    text = read("services/common/config.cc")
    out = set()
    for arg in re.findall(r'env\.Required\(([^)]*)\)', text):
        m = re.match(r'prefix \+ "([A-Z_]+)"', arg)
        out.add(f"CIVIL_{name.upper()}_{m.group(1)}" if m else arg.strip('"'))
    return out


class Failures:
    def __init__(self):
        self.items = []

    def check(self, ok, message):
        if not ok:
            self.items.append(message)

    def finish(self, what):
        for item in self.items:
            print(f"FAIL: {item}")
        if self.items:
            print(f"{what}: {len(self.items)} problem(s)")
            sys.exit(1)
        print(f"{what}: ok")


def run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)

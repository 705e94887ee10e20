"""Dependencies point one way: geo → content → render/maps → public → publish; admin on top.

Each module of cms is imported on its own in a forked child of one fresh interpreter (third-party
libraries other than Flask are loaded once, before the fork, so each child pays only for cms),
and what it loaded is checked against the layers. A module that fails alone (an import circle
that only works in some order) fails here too. The message names the module, the forbidden
module and the chain of imports that reached it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# What each package may not load (directly or through anything it imports).
FORBIDDEN = {
    "geo": ("content", "render", "maps", "public", "publish", "admin"),
    "content": ("render", "maps", "public", "publish", "admin"),
    "render": ("public", "publish", "admin"),
    "maps": ("public", "publish", "admin"),
    "public": ("publish", "admin"),
    "publish": ("admin",),
}
NO_FLASK = ("geo", "content", "render", "maps")

# Runs in a fresh interpreter: preload third-party imports, then fork once per module. Flask and
# its extensions are preloaded only after the modules that must not load Flask (the "--flask--"
# argument), so the others do not pay for importing them each time.
CHILD = r"""
import ast, json, os, pathlib, sys, traceback

root = pathlib.Path(sys.argv[1])
modules = sys.argv[2:]
third_party = set()
for path in (root / "cms").rglob("*.py"):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            third_party.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            third_party.add(node.module)


def preload(flask):
    for name in sorted(third_party):
        if name.split(".")[0] not in ("cms", "__future__") and name.startswith("flask") == flask:
            try:
                __import__(name)
            except ImportError:
                pass


preload(flask=False)
if "flask" in sys.modules:
    sys.exit("a library loaded before the fork imports flask: the flask check would be void")
sys.path.insert(0, str(root))


class Witness:
    # Notes which cms module first imported each cms module (and flask).

    def __init__(self):
        self.by = {}

    def find_spec(self, name, path=None, target=None):
        if name not in self.by and (name == "flask" or name.split(".")[0] == "cms"):
            frame = sys._getframe(1)
            while frame is not None:
                who = frame.f_globals.get("__name__", "")
                if who.split(".")[0] == "cms" and who != name:
                    self.by[name] = who
                    break
                frame = frame.f_back
        return None


for module in modules:
    if module == "--flask--":
        preload(flask=True)
        continue
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        witness = Witness()
        sys.meta_path.insert(0, witness)
        report = {"module": module, "error": None}
        try:
            __import__(module)
        except BaseException:
            report["error"] = traceback.format_exc(limit=-8)
        report["loaded"] = sorted(m for m in sys.modules if m.split(".")[0] == "cms")
        report["flask"] = "flask" in sys.modules
        report["by"] = witness.by
        with os.fdopen(write, "w") as out:
            json.dump(report, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as inbox:
        print(inbox.read(), flush=True)
    os.waitpid(pid, 0)
"""


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "cms").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = _modules()


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    first = [m for m in MODULES if _layer(m) in NO_FLASK]
    then = [m for m in MODULES if _layer(m) not in NO_FLASK]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), *first, "--flask--", *then],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {report["module"]: report for report in found}


def _chain(report: dict, name: str) -> str:
    """Return how the module under test reached ``name``: a ← b ← … ← the module."""
    chain, seen = [name], {name}
    while chain[-1] in report["by"] and chain[-1] != report["module"]:
        who = report["by"][chain[-1]]
        if who in seen:
            break
        chain.append(who)
        seen.add(who)
    return " ← ".join(chain)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_is_checked(reports):
    assert len(MODULES) > 50 and set(reports) == set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_on_its_own(reports, module):
    if reports[module]["error"] is not None:
        pytest.fail(f"{module} fails to import alone:\n{reports[module]['error']}", pytrace=False)


@pytest.mark.parametrize("module", MODULES)
def test_module_loads_only_the_layers_below(reports, module):
    report = reports[module]
    layer = _layer(module)
    forbidden = FORBIDDEN.get(layer, ())
    # Name where the boundary is crossed, not everything loaded behind it.
    problems = [
        f"{module} loads {name} ({_chain(report, name)})"
        for name in report["loaded"]
        if _layer(name) in forbidden and _layer(report["by"].get(name, "")) not in forbidden
    ]
    if layer in NO_FLASK and report["flask"]:
        problems.append(f"{module} loads flask ({_chain(report, 'flask')})")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)

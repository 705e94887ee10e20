"""The admin stands on the other packages' public names, and its modules form no circle.

A private name (``_cache``, ``store._references``) is another package's own business and may
change under the admin without warning; a circle between modules works only while one side
imports late, inside a function, and breaks as soon as someone tidies that import up.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADMIN = ROOT / "cms" / "admin"
MODULES = sorted(ADMIN.rglob("*.py"))


def _name_of(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(path: Path, node: ast.ImportFrom, root: Path = ROOT) -> str:
    """Return the module an ``import from`` names, resolving leading dots."""
    if not node.level:
        return node.module or ""
    name = _name_of(path, root)
    package = (name if path.name == "__init__.py" else name.rpartition(".")[0]).split(".")
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _outside_admin(module: str) -> bool:
    return module.startswith("cms.") and not (module + ".").startswith("cms.admin.")


def _imports(path: Path) -> list[tuple[str, str | None, int]]:
    """Return (module, name imported from it or None, line) for every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            found += [(module, alias.name, node.lineno) for alias in node.names]
    return found


def private_uses(path: Path, root: Path = ROOT) -> list[str]:
    """Return where a file uses a private name of a cms package other than the admin."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    label = path.relative_to(root)
    found = []
    modules: dict[str, str] = {}  # local name -> cms module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _outside_admin(alias.name):
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append(f"{label}:{node.lineno}: import {alias.name}")
                    if alias.asname:
                        modules[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node, root)
            for alias in node.names:
                full = f"{module}.{alias.name}"
                if not (_outside_admin(module) or _outside_admin(full)):
                    continue
                if any(_private(part) for part in full.split(".")):
                    found.append(f"{label}:{node.lineno}: from {module} import {alias.name}")
                elif _is_module(full):
                    modules[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            found.append(f"{label}:{node.lineno}: {modules[node.value.id]}.{node.attr}")
    return found


def test_the_check_sees_private_names(tmp_path):
    text = (
        "from cms.content.store import _empty\n"
        "from ..content import store\n"
        "from ..content.store import load\n"
        "from . import listing\n"
        "import cms.content.reader as reader\n"
        "store._references(None)\n"
        "reader._anything\n"
        "listing._own_business\n"
        "load.__name__\n"
    )
    fake = tmp_path / "cms" / "admin" / "sample_for_the_check.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(text, encoding="utf-8")
    assert sorted(use.split(": ", 1)[1] for use in private_uses(fake, tmp_path)) == [
        "cms.content.reader._anything",
        "cms.content.store._references",
        "from cms.content.store import _empty",
    ]


def test_the_admin_uses_no_private_name_of_another_package():
    found = [use for path in MODULES for use in private_uses(path)]
    assert not found, "\n".join(found)


def test_the_admin_modules_form_no_circle():
    """Every import between admin modules counts, including one made inside a function."""
    names = {_name_of(path): path for path in MODULES}
    graph = {
        name: {
            target
            for module, imported, _ in _imports(path)
            for target in (module, f"{module}.{imported}")
            if target in names and target != name and target != "cms.admin"
        }
        for name, path in names.items()
    }
    circles = []

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            circles.append(" -> ".join([*trail[trail.index(name) :], name]))
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])

    for name in sorted(graph):
        visit(name, [])
    assert not circles, "\n".join(sorted(set(circles)))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_each_admin_module_imports_on_its_own(path):
    name = _name_of(path)
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

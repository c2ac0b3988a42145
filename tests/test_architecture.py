"""The layering the code promises (docs/architecture.md), checked on the source itself.

- Packages depend one way: shaoxing_bases (the platform) ← applications ← review ← reporting, and the
  platform's own parts form no cycle (core registers nothing from the apps: they register with it).
- A production install imports every module: nothing outside tests needs a dev-only package.
- Roles are compared only in the rules modules and the account selectors; views hold no transaction
  and take no lock (that is the services' job).
"""

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("shaoxing_bases", "applications", "review", "reporting")
#: Lower layers never import higher ones.
LAYERS = {"shaoxing_bases": 0, "applications": 1, "review": 2, "reporting": 3}


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                found.add(".".join([*base, *([node.module] if node.module else [])]))
            else:
                found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


def _node(module: str) -> str:
    """A domain package, or one part of the platform (shaoxing_bases.core, shaoxing_bases.audit…)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "shaoxing_bases" and len(parts) > 1 else parts[0]


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in _sources():
        source = _node(_module(path))
        for target in map(_node, _imports(path)):
            if target != source and target != "shaoxing_bases":
                edges[source].add(target)
    return edges


def test_packages_depend_one_way():
    wrong = sorted(
        (source, target)
        for source, targets in _graph().items()
        for target in targets
        if LAYERS[target.split(".")[0]] > LAYERS[source.split(".")[0]]
    )
    assert not wrong, f"a lower layer imports a higher one (register with it instead): {wrong}"


def test_no_import_cycle_between_packages():
    graph = _graph()
    visiting, done, cycles = set(), set(), []

    def visit(node, trail):
        if node in visiting:
            cycles.append([*trail[trail.index(node) :], node])
            return
        if node in done:
            return
        visiting.add(node)
        for target in sorted(graph.get(node, ())):
            visit(target, [*trail, node])
        visiting.discard(node)
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    assert not cycles, f"import cycles: {cycles}"


DEV_ONLY = ("pypdf", "pytest", "factory", "hypothesis", "playwright", "zeal")

IMPORT_EVERYTHING = f"""
import importlib, sys
blocked = {DEV_ONLY!r}

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ImportError(f"dev-only package {{name}} imported by production code")
        return None

sys.meta_path.insert(0, Refuse())
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "shaoxing_bases.settings.local"
import django
django.setup()
for name in {sorted(_module(path) for path in _sources())!r}:
    if name.startswith("shaoxing_bases.settings.") and not name.endswith(("base", "local")):
        continue  # production and test settings are loaded only in their own environment
    importlib.import_module(name)
print("ok")
"""


def test_a_production_install_imports_every_module(tmp_path):
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "HOME": str(tmp_path),
        },
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")


# --- where roles are compared and where transactions live ----------------------------------------

#: Modules allowed to compare roles: the rules, the account selectors (a role is what they look up)
#: and the account model's own validation.
ROLE_MODULES = ("rules.py", "accounts/selectors.py", "accounts/models.py", "accounts/enums.py")


def _compares_roles(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = {
                getattr(operand, "attr", None) or getattr(operand, "id", None)
                for sub in operands
                for operand in ast.walk(sub)
            }
            mentions_role = "role" in names or any(
                isinstance(operand, ast.Attribute)
                and isinstance(operand.value, ast.Name)
                and operand.value.id == "Role"
                for sub in operands
                for operand in ast.walk(sub)
            )
            if mentions_role:
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "path", [path for path in _sources() if not str(path).endswith(ROLE_MODULES)], ids=str
)
def test_roles_are_compared_only_in_the_rules(path):
    lines = _compares_roles(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"{path.relative_to(ROOT)}:{lines} compares a role: ask a named permission instead"


def _views():
    for path in _sources():
        if path.name == "views.py" or path.parent.name == "views":
            yield path


@pytest.mark.parametrize("path", list(_views()), ids=str)
def test_views_open_no_transaction_and_take_no_lock(path):
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"atomic", "select_for_update"}
    }
    assert not used, f"{path.relative_to(ROOT)} uses {sorted(used)}: that belongs in a service"

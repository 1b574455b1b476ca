"""The house's layout: which package may import which, and no import cycle anywhere.

Read from the source (every import statement, also those inside functions), so an import placed
inside a function to dodge a cycle at load time still counts as an edge.
"""

import ast
import subprocess
import sys

from tests.conftest import ROOT

PACKAGES = ("core", "genai", "detectors", "ui")
# package -> project packages it must never import
FORBIDDEN = {
    "core": {"genai", "detectors", "ui", "pages"},
    "genai": {"detectors", "ui", "pages"},  # makers never depend on the judge
    "detectors": {"ui", "pages"},
    "ui": {"pages"},
}
NO_STREAMLIT = ("core", "genai", "detectors")


def module_name(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_files():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    for package in PACKAGES:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def imports_of(path, modules: set[str]) -> set[str]:
    """Every module ``path`` imports (project modules resolved to the module, others by top name)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                # `from detectors import data` imports the module detectors.data
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return found


def graph() -> dict[str, set[str]]:
    files = project_files()
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), or a module importing itself."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges.get(v, ()):
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_has_no_cycle():
    assert cycles(graph()) == []


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_each_package_imports_only_what_sits_below_it():
    wrong = []
    for module, imported in graph().items():
        top = module.split(".")[0]
        for other in imported:
            if other.split(".")[0] in FORBIDDEN.get(top, ()):
                wrong.append(f"{module} imports {other}")
            if top in NO_STREAMLIT and other.split(".")[0] in ("streamlit", "streamlit_drawable_canvas"):
                wrong.append(f"{module} imports {other}")
            if top in ("pages", "app") and other.split(".")[0] == "torch":
                wrong.append(f"{module} imports {other}")
    assert wrong == []


def test_the_libraries_import_without_streamlit():
    """core, genai and detectors work from a notebook or the command line with no Streamlit installed."""
    code = ("import sys; sys.modules['streamlit'] = None\n"
            "import core.weights, core.faces, core.io, core.imaging, core.data\n"
            "import genai, genai.inpaint, genai.provenance, genai.train_inpaint\n"
            "import detectors, detectors.train, detectors.train_gan_d, detectors.report, detectors.launder\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr

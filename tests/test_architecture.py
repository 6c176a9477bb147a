"""The architecture's rules, as tests: imports go one way, sources sit behind one seam, every command
is documented (STYLE.md rules 1, 3 and the sqlite-utils CLI habit)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def _imports(path: Path, root: Path = REPO) -> set[str]:
    """Every module a file imports, relative imports made absolute."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("package, forbidden", [
    ("connectors", {"scanner", "detectors"}),
    ("detectors", {"scanner", "connectors"}),
])
def test_imports_go_one_way(package, forbidden):
    wrong = {f"{path.relative_to(REPO)} imports {module}"
             for path in _modules(package) for module in _imports(path) if _top(module) in forbidden}
    assert not wrong, sorted(wrong)


def test_relative_imports_are_resolved():
    """The walk itself: a relative import inside connectors/sources resolves into connectors."""
    assert "connectors.source.register" in _imports(REPO / "connectors" / "sources" / "local.py")


def test_scanner_reaches_sources_only_through_the_seam():
    """No scanner module imports a particular source's module: a new source touches no scanner file."""
    source_modules = re.compile(r"^connectors\.(smb\w*|filesystem\.walk|sources\.\w+)$")
    wrong = {f"{path.relative_to(REPO)} imports {module}"
             for path in _modules("scanner") for module in _imports(path) if source_modules.match(module)}
    assert not wrong, sorted(wrong)


def test_scanner_never_tests_a_uri_scheme():
    pattern = re.compile(r"is_smb_uri|startswith\(\s*[\"']smb://|[\"']s3://")
    wrong = [f"{path.relative_to(REPO)}:{n}" for path in _modules("scanner")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not wrong, wrong


def _commands():
    from scanner.cli import COMMANDS   # the lazy group's table: every command, without importing them

    return sorted(COMMANDS)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_an_example_and_a_readme_section(command):
    from scanner.cli import cli

    result = CliRunner().invoke(cli, [command, "-h"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output and f"pdsweep {command}" in result.output
    headings = [line for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    assert any(re.search(rf"`pdsweep {re.escape(command)}\b", h) for h in headings), \
        f"no README heading names `pdsweep {command}`"


def test_the_checks_can_fail(tmp_path):
    """The import walk sees a forbidden import, plain or relative (so the tests above are not vacuous)."""
    bad = tmp_path / "connectors" / "sources" / "probe.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from scanner.config import ScanConfig\nfrom .. import source\nimport detectors.names\n")
    found = _imports(bad, tmp_path)
    assert {"scanner.config", "connectors.source", "detectors.names"} <= found
    assert {_top(m) for m in found} & {"scanner", "detectors"}

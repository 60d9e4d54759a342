"""The command line as users run it: exit codes, messages, and the default `build`."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path
from typing import NoReturn

import pytest

from protokollarkiv.cli import main
from protokollarkiv.diagnostics import DEBUG_VARIABLE

from .conftest import ROOT, MiniProject, meeting_text, run_cli


def project_args(project_root: Path) -> list[str]:
    return ["--root", str(project_root), "--templates", str(ROOT / "templates")]


def test_check_exit_codes(mini: MiniProject) -> None:
    project = mini()
    root = project.content.parent
    clean = run_cli("check", *project_args(root), cwd=root)
    assert clean.returncode == 0, clean.stderr
    assert clean.stderr.strip() == "Checked 1 meeting: 0 errors, 0 warnings"

    mini(meeting=meeting_text("titel: X\n"))
    warned = run_cli("check", *project_args(root), cwd=root)
    assert warned.returncode == 0
    assert "warning: unknown key 'titel'" in warned.stderr
    # The program leaves with os._exit (cli.run): what it printed to a pipe still arrives whole.
    listed = run_cli("check", "--format", "json", *project_args(root), cwd=root)
    assert listed.returncode == 0 and [d["message"] for d in json.loads(listed.stdout)] == [
        "unknown key 'titel' in meeting front matter"
    ]

    mini(meeting=meeting_text(status="klar"))
    failed = run_cli("check", *project_args(root), cwd=root)
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "content/networks/skolchefer/2024/2024-09-20.md:3:9: error: 'status' must be one of "
        "utkast, justerat, not 'klar' (use one of: utkast, justerat)",
        "Checked 0 meetings: 1 error, 0 warnings",
    ]
    assert not (root / "site").exists()


def test_build_without_a_command_builds_and_refuses_to_write_on_errors(mini: MiniProject) -> None:
    project = mini()
    root = project.content.parent
    done = run_cli(*project_args(root), cwd=root)
    assert done.returncode == 0, done.stderr
    assert (
        "Built 41 pages" in done.stderr
    )  # 35 + /admin/, its config.yml, /data/votes.csv, /person/ and its two people
    assert "Indexed 1 meeting (0 decisions) for search in" in done.stderr
    assert (root / "site/natverk/skolchefer/2024-09-20/index.html").is_file()
    assert sorted(p.name for p in root.iterdir()) == [".cache", "content", "site"]  # nothing else written
    before = (root / "site/index.html").read_bytes()

    mini(meeting=meeting_text(date="2024-02-30"))
    refused = run_cli("build", *project_args(root), cwd=root)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert refused.stderr.splitlines()[-1].startswith("Build stopped: 1 error, 0 warnings;")
    assert (root / "site/index.html").read_bytes() == before


def test_output_folder_problems_are_messages_not_tracebacks(mini: MiniProject) -> None:
    project = mini()
    root = project.content.parent
    (root / "site").mkdir()
    (root / "site/notes.txt").write_text("mine")
    result = run_cli("build", *project_args(root), cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "refusing" in result.stderr
    assert "Traceback" not in result.stderr


# STYLE.md's layout: the domain modules, then the machinery around them, folder by folder.
ORDER = [
    "diagnostics",
    "model",
    "procedural",
    "record.dates",
    "strings",
    "messages",
    "filetext",
    "load",
    "vote",
    "markdown",
    "validate",
    "people",
    "review",
    "record.personal",
    "record.seal",
    "parse",
    "attachment",
    "urls",
    "views",
    "persons",
    "agenda",
    "cms",
    "pages",
    "render",
    "feeds",
    "assets",
    "output",
    "search",
    "speed.memo",
    "speed.markdown",
    "speed.yaml",
    "speed.jinja",
    "speed.pagefind",
    "speed.memory",
    "speed.switch",
    "build.state",
    "build.inputs",
    "build.parallel",
    "build.read",
    "build.plan",
    "build.stage",
    "build.builder",
    "preview.watch",
    "preview.quick",
    "preview.fault",
    "preview.overlay",
    "preview.session",
    "preview.stop",
    "preview.backend",
    "preview.http",
    "tools.scaffold",
    "tools.extract",
    "tools.recognise.found",
    "tools.recognise.when",
    "tools.recognise.places",
    "tools.recognise.people",
    "tools.recognise.items",
    "tools.recognise.minutes",
    "tools.draft",
    "tools.importer",
    "cli",
]


def _imports(package: Path, name: str, modules: set[str]) -> set[str]:
    """The package's modules that module `name` (dotted, e.g. `build.plan`) imports."""
    tree = ast.parse((package / f"{name.replace('.', '/')}.py").read_text(encoding="utf-8"))
    here = name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("protokollarkiv") for a in node.names), (
                f"{name}: use relative imports"
            )
        if not isinstance(node, ast.ImportFrom):
            continue
        assert node.level > 0 or not (node.module or "").startswith("protokollarkiv"), (
            f"{name}: absolute import"
        )
        if node.level == 0:
            continue
        base = here[: len(here) - (node.level - 1)]
        if node.module:
            found.add(".".join([*base, node.module]))
        for alias in node.names:
            candidate = ".".join([*base, *([node.module] if node.module else []), alias.name])
            if candidate in modules:
                found.add(candidate)
    return {
        module
        for module in found
        if module in modules or module.split(".")[0] in {"build", "speed", "preview", "record", "tools"}
    }


def test_imports_only_go_down_the_stage_list() -> None:
    """A module imports only modules listed before it, across folders too (STYLE.md's layout)."""
    package = ROOT / "protokollarkiv"
    modules = {
        p.relative_to(package).with_suffix("").as_posix().replace("/", ".")
        for p in package.rglob("*.py")
        if p.stem != "__init__"
    }
    assert modules == set(ORDER)
    for name in ORDER:
        imported = _imports(package, name, modules)
        allowed = set(ORDER[: ORDER.index(name)])
        assert imported <= allowed, f"{name} imports {imported - allowed}"


def test_the_import_order_test_catches_an_upward_import(tmp_path: Path) -> None:
    """The order check sees `from ..x import y` across folders (a test that cannot fail is no test)."""
    package = tmp_path / "protokollarkiv"
    (package / "build").mkdir(parents=True)
    (package / "model.py").write_text("from .build.plan import Plan\n", encoding="utf-8")
    (package / "build" / "plan.py").write_text(
        "from ..model import Site\nfrom . import state\n", encoding="utf-8"
    )
    modules = {"model", "build.plan", "build.state"}
    assert _imports(package, "model", modules) == {"build.plan"}
    assert _imports(package, "build.plan", modules) == {"model", "build.state"}


def test_the_program_leaves_at_once_unless_something_still_runs() -> None:
    """`cli.run` skips the interpreter's clean-up (atexit handlers, freeing every object) when
    only the main thread is left, with `main`'s status; a thread still running gets the normal way."""
    import subprocess
    import sys

    program = (
        "import atexit, sys, threading, time\n"
        "from protokollarkiv import cli\n"
        "atexit.register(lambda: print('clean-up ran', flush=True))\n"
        "def main():\n"
        "    if sys.argv[1] == 'thread':\n"
        "        threading.Thread(target=time.sleep, args=(0.3,)).start()\n"
        "    print('printed', end='')\n"
        "    return 3\n"
        "cli.main = main\n"
        "cli.run()\n"
    )
    for case, clean_up in (("alone", False), ("thread", True)):
        done = subprocess.run(
            [sys.executable, "-c", program, case], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 3, done.stderr
        assert done.stdout == ("printedclean-up ran\n" if clean_up else "printed")


def _broken(*args: object, **kwargs: object) -> NoReturn:
    raise ZeroDivisionError("a bug planted by the test")


@pytest.mark.parametrize(
    ("command", "planted", "subject"),
    [
        ("check", "protokollarkiv.parse.validate_meeting", "2024-09-20.md"),
        ("build", "protokollarkiv.render.render_page", "the page /"),
    ],
)
def test_a_bug_is_one_line_naming_the_file_and_exit_status_2(
    mini: MiniProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    planted: str,
    subject: str,
) -> None:
    """An unexpected exception (planted here, as no known input causes one) is one line naming
    what was being processed and how to report it; --debug adds the traceback."""
    project = mini()
    monkeypatch.setenv(DEBUG_VARIABLE, "0")  # restored after the test (--debug sets it)
    module, _, name = planted.rpartition(".")
    monkeypatch.setattr(importlib.import_module(module), name, _broken)
    if planted.endswith("render_page"):  # the render stage imported it by name
        monkeypatch.setattr("protokollarkiv.build.parallel.render_page", _broken)
    args = [command, "--content", str(project.content), "--no-cache", "-j", "1"]
    if command == "build":
        args += ["--output", str(project.output), "--no-search"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("protokollarkiv: internal error while processing ")
    assert subject in err[0] and "ZeroDivisionError: a bug planted by the test" in err[0]
    assert "please report it" in err[0] and "--debug" in err[0] and "Traceback" not in err[0]
    assert not project.output.exists()  # nothing half-made was published

    assert main([*args, "--debug"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "ZeroDivisionError" in err
    assert err.rstrip().splitlines()[-1].startswith("protokollarkiv: internal error while processing ")

"""Set-up as a newcomer meets it: the README's links, its two commands, and `make run`'s address check.

The port check is exercised against a socket this test binds: `scripts/run_main.py` (and `make run`, which runs it)
must print one Chinese line naming POLICY_QA_UI_PORT and exit non-zero, before building or starting anything.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)
# `make run` is a blocking server when the check fails to stop it; never wait on it for long
RUN_TIMEOUT_S = 60


def load_run_main():
    spec = importlib.util.spec_from_file_location("run_main_under_test", ROOT / "scripts" / "run_main.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def busy_port(host: str = "127.0.0.1") -> Iterator[int]:
    """A free port, taken by a listening socket for the duration (as a running server holds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def link_targets(markdown: Path) -> list[str]:
    text = markdown.read_text(encoding="utf-8")
    return [m.group(1) for m in MARKDOWN_LINK.finditer(text) if not EXTERNAL.match(m.group(1))]


# ---------------------------------------------------------------- README and docs

@pytest.mark.parametrize("doc", ["README.md", "docs/CONTRACTS.md", "docs/RULES.md", "evals/README.md"])
def test_markdown_links_point_to_existing_files_inside_the_repository(doc):
    path = ROOT / doc
    if not path.exists():
        pytest.skip(f"{doc} is not in this checkout")
    problems = []
    for target in link_targets(path):
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
    assert not problems, f"{doc}: " + "; ".join(problems)


def test_readme_names_no_path_outside_the_repository():
    text = README.read_text(encoding="utf-8")
    assert "../" not in text, "README.md refers to a path outside the repository (../): a clone does not have it"


def test_readme_links_the_design_and_style_copies_in_docs():
    targets = link_targets(README)
    assert "docs/DESIGN.md" in targets and "docs/STYLE.md" in targets
    assert (ROOT / "docs" / "DESIGN.md").is_file() and (ROOT / "docs" / "STYLE.md").is_file()


def test_readme_repository_paths_exist():
    """Every `path` the README names under a package or docs directory is in the checkout (globs allowed);
    report directories that `make eval` writes are not."""
    text = README.read_text(encoding="utf-8")
    tops = ("corpus/", "indexing/", "assistant/", "eligibility_tools/", "ui/", "evals/", "tests/", "docs/", "scripts/", ".ci/")
    missing = []
    for token in re.findall(r"`([^`\s]+)`", text):
        if token.startswith("evals/reports/"):
            continue
        if token.startswith(tops) and not any(ROOT.glob(token.rstrip("/"))):
            missing.append(token)
    assert not missing, f"README.md names paths that do not exist: {missing}"


def test_readme_shows_the_two_commands_and_what_a_fresh_machine_needs():
    text = README.read_text(encoding="utf-8")
    for expected in ("make run", "make test", "make eval", "make bench", "Python ≥ 3.11", "2.4 GB", "5 分钟",
                     "POLICY_QA_UI_HOST", "POLICY_QA_UI_PORT", "0.0.0.0"):
        assert expected in text, f"README.md does not mention {expected!r}"


def test_ci_runs_only_make_test():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "make test"]


# ---------------------------------------------------------------- make run: address check

def test_busy_port_gives_one_chinese_line_and_starts_nothing(monkeypatch, capsys):
    run_main = load_run_main()
    started = []
    monkeypatch.setattr(run_main, "run", lambda command: started.append(command) or 0)
    with busy_port() as port:
        code = run_main.main({"POLICY_QA_UI_HOST": "127.0.0.1", "POLICY_QA_UI_PORT": str(port)})
    out, err = capsys.readouterr()
    assert code != 0
    assert started == [], "nothing may be built or started when the port is busy"
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert f"端口 {port} 已被占用" in lines[0] and "POLICY_QA_UI_PORT=" in lines[0]
    assert "请打开" not in out + err and "Traceback" not in out + err


def test_busy_port_suggests_a_free_port(monkeypatch, capsys):
    run_main = load_run_main()
    with busy_port() as port:
        with pytest.raises(run_main.AddressError) as info:
            run_main.check_address("127.0.0.1", port)
        suggested = int(re.search(r"POLICY_QA_UI_PORT=(\d+)", str(info.value)).group(1))
        assert suggested != port
        run_main.check_address("127.0.0.1", suggested)  # free now


def test_free_port_starts_the_server_on_the_address_asked(monkeypatch):
    run_main = load_run_main()
    started = []
    monkeypatch.setattr(run_main, "run", lambda command: started.append(command) or 0)
    monkeypatch.setattr(run_main, "has", lambda module: module == "ui.cli")
    port = free_port()
    assert run_main.main({"POLICY_QA_UI_HOST": "127.0.0.1", "POLICY_QA_UI_PORT": str(port)}) == 0
    assert started == [[run_main.CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]]


def test_defaults_are_local_and_7860():
    run_main = load_run_main()
    assert run_main.ui_address({}) == ("127.0.0.1", 7860)
    assert run_main.ui_address({"POLICY_QA_UI_HOST": " ", "POLICY_QA_UI_PORT": ""}) == ("127.0.0.1", 7860)
    assert run_main.ui_address({"POLICY_QA_UI_HOST": "0.0.0.0", "POLICY_QA_UI_PORT": "8080"}) == ("0.0.0.0", 8080)


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1", "78.5"])
def test_bad_port_value_names_the_variable(value):
    run_main = load_run_main()
    with pytest.raises(run_main.AddressError, match=r"POLICY_QA_UI_PORT=.*1 到 65535"):
        run_main.ui_address({"POLICY_QA_UI_PORT": value})


def test_unknown_host_names_the_variable():
    run_main = load_run_main()
    with pytest.raises(run_main.AddressError, match="POLICY_QA_UI_HOST=0.0.0.0"):
        run_main.check_address("no-such-host.invalid", free_port())


# ---------------------------------------------------------------- make run itself

def make_run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`make run` without (re)installing: the venv stamp is taken as up to date (`-o`)."""
    env = {**os.environ, **(env_extra or {})}
    for key in ("POLICY_QA_UI_HOST", "POLICY_QA_UI_PORT", "MAKEFLAGS", "MAKELEVEL"):
        if env_extra is None or key not in env_extra:
            env.pop(key, None)
    return subprocess.run(["make", "-s", "--no-print-directory", "-o", ".venv/.installed", "run", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)


needs_make = pytest.mark.skipif(shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "python").exists(),
                                reason="make or .venv is missing")


@needs_make
@pytest.mark.parametrize("how", ["env", "make-variable"])
def test_make_run_honours_the_port_and_stops_on_a_busy_one(how):
    with busy_port() as port:
        if how == "env":
            result = make_run(env_extra={"POLICY_QA_UI_PORT": str(port)})
        else:
            result = make_run(f"PORT={port}")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"端口 {port} 已被占用" in output and "POLICY_QA_UI_PORT=" in output
    assert "Traceback" not in output and "请打开" not in output
    chinese_lines = [line for line in output.splitlines() if line.strip() and not line.startswith("make")]
    assert len(chinese_lines) == 1, output


@needs_make
def test_make_run_host_variable_reaches_the_check():
    with busy_port() as port:
        result = make_run("HOST=no-such-host.invalid", f"PORT={port}")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "no-such-host.invalid" in output and "POLICY_QA_UI_HOST=" in output


def test_run_main_uses_only_the_standard_library():
    """The check must run before the venv's heavy packages load; `make run` with a busy port answers at once."""
    source = (ROOT / "scripts" / "run_main.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^(?:from|import) ([a-z_]+)", source, re.MULTILINE))
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported

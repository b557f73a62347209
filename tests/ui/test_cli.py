"""`policy-qa serve`: a busy port or a bad POLICY_QA_UI_* value is one Chinese line and a non-zero exit, and the
URL is printed only after the server has bound the port (never "请打开 …" pointing at another program)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import types

import pytest
from click.testing import CliRunner

from tests.ui.conftest import REPO
from ui import cli as ui_cli


def _run_serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_QA_UI_")}
    return subprocess.run([sys.executable, "-m", "assistant.cli", "serve", "--no-warm", *args], cwd=REPO,
                          env={**full_env, **(env or {})}, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_run_serve_on_a_busy_port_is_one_chinese_line_and_exit_non_zero(busy_port, how):
    out = (_run_serve("--port", str(busy_port)) if how == "option"
           else _run_serve(env={"POLICY_QA_UI_PORT": str(busy_port)}))
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert f"端口 {busy_port} 已被占用" in lines[0] and "POLICY_QA_UI_PORT=" in lines[0]
    suggested = int(lines[0].split("POLICY_QA_UI_PORT=")[1].split()[0])
    assert suggested != busy_port
    assert "Traceback" not in out.stderr and "http://" not in out.stderr + out.stdout


@pytest.mark.parametrize("value", ["abc", "70000", "0"])
def test_run_bad_port_variable_names_it_in_chinese(value):
    out = _run_serve(env={"POLICY_QA_UI_PORT": value})
    assert out.returncode != 0
    assert "POLICY_QA_UI_PORT" in out.stderr and "1 到 65535" in out.stderr and value in out.stderr
    assert "Traceback" not in out.stderr and "validation error" not in out.stderr.lower()


def test_run_port_lost_after_the_check_is_still_one_line_and_no_url(monkeypatch):
    """Something takes the port between the check and gradio's bind: gradio raises OSError."""
    calls = []

    def launch(demo, settings, block=True, quiet=False):
        calls.append(block)
        raise OSError("Cannot find empty port in range")

    _fake_app(monkeypatch, launch)
    monkeypatch.setattr(ui_cli, "port_problem", lambda host, port: None)
    result = CliRunner().invoke(ui_cli.serve, ["--port", "7999", "--no-warm"])
    assert isinstance(result.exception, ui_cli.PortUnavailableError)
    assert "端口 7999 已被占用" in str(result.exception) and "POLICY_QA_UI_PORT=" in str(result.exception)
    assert calls == [False]  # launched without blocking, so a failure comes back here
    assert "请在浏览器中打开" not in result.output


def test_run_url_is_printed_after_the_bind_with_the_intranet_hint_for_0000(monkeypatch):
    events = []

    def launch(demo, settings, block=True, quiet=False):
        events.append(("launch", settings.host, settings.port))

    _fake_app(monkeypatch, launch)
    monkeypatch.setattr(ui_cli, "port_problem", lambda host, port: None)
    monkeypatch.setattr(ui_cli, "intranet_address", lambda: "10.1.2.3")
    monkeypatch.setattr(ui_cli.click, "echo", lambda text, err=False: events.append(("echo", text)))
    result = CliRunner().invoke(ui_cli.serve, ["--host", "0.0.0.0", "--port", "7999", "--no-warm"])
    assert result.exception is None, result.output
    launched = events.index(("launch", "0.0.0.0", 7999))
    urls = [i for i, e in enumerate(events) if e[0] == "echo" and "http://" in e[1]]
    assert urls and min(urls) > launched
    texts = [e[1] for e in events if e[0] == "echo"]
    assert any("http://127.0.0.1:7999/" in t for t in texts)
    assert any("内网其他电脑" in t and "http://10.1.2.3:7999/" in t for t in texts)


def test_run_local_host_gets_one_url_line():
    assert ui_cli.url_lines("127.0.0.1", 7861) == ["请在浏览器中打开 http://127.0.0.1:7861/  （Ctrl+C 停止）"]


def test_run_port_check_ignores_time_wait_and_reports_listeners(busy_port):
    assert ui_cli.port_problem("127.0.0.1", busy_port)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:  # bound then closed: free again at once
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    assert ui_cli.port_problem("127.0.0.1", closed) is None
    assert "POLICY_QA_UI_HOST" in ui_cli.port_problem("no-such-host.invalid", 7860)


def _fake_app(monkeypatch, launch) -> None:
    """A stand-in `ui.app` (no gradio): build_app returns a demo that stops at once."""
    demo = types.SimpleNamespace(services=types.SimpleNamespace(warm=lambda: None), is_running=False, close=lambda: None)
    module = types.ModuleType("ui.app")
    module.build_app = lambda **kwargs: demo
    module.launch = launch
    monkeypatch.setitem(sys.modules, "ui.app", module)

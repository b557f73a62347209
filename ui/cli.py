"""`policy-qa serve`: the web UI. Only click, pydantic and the standard library at import time (gradio is heavy).

The address is checked before anything loads (a busy port is one Chinese line naming POLICY_QA_UI_PORT and a
free port to use, never a traceback), and the URL is printed only after the server has really bound it, so
"请打开 http://…" can never point at another program's server.
"""

from __future__ import annotations

import errno
import os
import socket
import time

import click

from corpus.errors import PolicyQAError
from ui.ports import LOCALHOST, free_port_after, listen_error

# Offline defaults for every library the UI pulls in; an explicit environment setting still wins.
OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_SHARE": "False",
}
ENV_PREFIX = "POLICY_QA_UI_"
ALL_INTERFACES = ("0.0.0.0", "::")


class PortUnavailableError(PolicyQAError):
    """The address to serve on is busy or not this machine's; `policy-qa` prints it as one 错误： line, exit code 2."""


class UISettingsError(PolicyQAError):
    """A POLICY_QA_UI_* value (or option) is invalid; the message names the variable and a valid example."""


@click.command("serve")
@click.option("--host", default=None, help="监听地址，默认 127.0.0.1（仅本机）；政务内网对外服务用 0.0.0.0。也可设 POLICY_QA_UI_HOST")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="端口，默认 7860。也可设 POLICY_QA_UI_PORT")
@click.option("--concurrency", default=None, type=click.IntRange(1, 64), help="同时处理的问答数，默认 2（= CPU 核数）")
@click.option("--no-warm", is_flag=True, help="不预先加载模型与索引（首个问题会较慢）")
def serve(host: str | None, port: int | None, concurrency: int | None, no_warm: bool) -> None:
    """启动网页界面（智能问答 / 政策计算器 / 条款浏览），离线运行。"""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    settings = load_settings(host=host, port=port, concurrency=concurrency)
    check_address(settings.host, settings.port)  # before loading anything: one line and stop
    click.echo("正在启动网页界面…", err=True)
    from ui.app import build_app, launch

    demo = build_app(settings=settings, feedback_path=settings.feedback_db)
    if not no_warm:
        click.echo("正在加载问答模型与检索索引（首次可能需要几分钟）…", err=True)
        from assistant.audit import suppressed

        with suppressed():  # the warm-up question is nobody's: kept out of the audit trail (issue 15)
            demo.services.warm()
    check_address(settings.host, settings.port)  # taken while the models loaded?
    try:
        launch(demo, settings, block=False, quiet=True)
    except OSError as err:  # lost a race for the port after the check: still one line, no traceback
        raise PortUnavailableError(busy_message(settings.host, settings.port)) from err
    for line in url_lines(settings.host, settings.port):
        click.echo(line, err=True)
    wait_until_stopped(demo)


def wait_until_stopped(demo) -> None:
    """Serve until Ctrl+C, then close the server with one Chinese line (gradio's own block_thread prints English)."""
    try:
        while demo.is_running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        demo.close()
        click.echo("网页界面已停止。", err=True)


def load_settings(**options) -> object:
    """UISettings from the POLICY_QA_UI_* environment plus the given options; a bad value is a UISettingsError."""
    from pydantic import ValidationError

    from ui.config import UISettings

    overrides = {k: v for k, v in options.items() if v is not None}
    try:
        return UISettings(**overrides)
    except ValidationError as err:
        raise UISettingsError(settings_message(err, UISettings)) from None


def settings_message(err, model) -> str:
    """One Chinese line for the first invalid setting: the variable, its value, what is allowed, an example."""
    first = err.errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else ""
    var = f"{ENV_PREFIX}{field.upper()}"
    info = model.model_fields.get(field)
    what = (info.description or field) if info else field
    value = first.get("input")
    shown = "" if value is None or isinstance(value, dict) else f"“{str(value)[:40]}”"
    if field == "port":
        allowed, example = "1 到 65535 之间的整数", f"{var}=7861"
    elif info is not None and info.annotation is int:
        allowed, example = "正整数", f"{var}={info.default}"
    else:
        allowed, example = "有效的值", f"{var}={info.default}" if info is not None and info.default is not None else var
    return f"{var}（{what}）的值{shown}无效：应为{allowed}。请修改或删除该环境变量，例如 {example}。"


def busy_message(host: str, port: int) -> str:
    free = free_port_after(host, port)
    return (f"端口 {port} 已被占用（可能已有一个网页界面在运行）。请设置环境变量 POLICY_QA_UI_PORT 换一个端口，"
            f"例如 POLICY_QA_UI_PORT={free} make run，或 policy-qa serve --port {free}。")


def port_problem(host: str, port: int) -> str | None:
    """A one-line Chinese message when host:port cannot be listened on (busy, not this machine's), else None."""
    try:
        error = listen_error(host, port)
    except (socket.gaierror, UnicodeError):
        return f"无法识别监听地址 {host}。请设置 POLICY_QA_UI_HOST=127.0.0.1（仅本机）或 POLICY_QA_UI_HOST=0.0.0.0（政务内网）。"
    if error is None:
        return None
    if error.errno == errno.EADDRINUSE:
        return busy_message(host, port)
    if error.errno == errno.EACCES:
        return f"没有权限监听端口 {port}（1024 以下的端口需要 root）。请设置 POLICY_QA_UI_PORT=7860 或其他 1024 以上的端口。"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"本机没有地址 {host}。请设置 POLICY_QA_UI_HOST=127.0.0.1（仅本机）或 POLICY_QA_UI_HOST=0.0.0.0（政务内网）。"
    return f"无法在 {host}:{port} 上监听（{error.strerror or error}）。请检查 POLICY_QA_UI_HOST（或 --host）与 POLICY_QA_UI_PORT（或 --port）。"


def check_address(host: str, port: int) -> None:
    problem = port_problem(host, port)
    if problem:
        raise PortUnavailableError(problem)


def intranet_address() -> str | None:
    """This machine's address on its network, for the URL other computers open (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def url_lines(host: str, port: int) -> list[str]:
    """What to print once the server listens: the URL to open, and for 0.0.0.0 the one other computers use."""
    shown = LOCALHOST if host in ALL_INTERFACES else host
    lines = [f"请在浏览器中打开 http://{shown}:{port}/  （Ctrl+C 停止）"]
    if host in ALL_INTERFACES:
        address = intranet_address()
        where = f"http://{address}:{port}/" if address else f"http://<本机内网地址>:{port}/"
        lines.append(f"内网其他电脑请打开 {where}（本界面没有登录认证，请只在受信任的政务内网使用）")
    return lines

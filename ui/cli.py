"""`policy-qa serve`: the web UI. Only click and the standard library at import time (gradio is heavy)."""

from __future__ import annotations

import errno
import os
import socket
import sys

import click

from corpus.errors import PolicyQAError

# Offline defaults for every library the UI pulls in; an explicit environment setting still wins.
OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_SHARE": "False",
}


@click.command("serve")
@click.option("--host", default=None, help="监听地址，默认 127.0.0.1（仅本机）")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="端口，默认 7860")
@click.option("--concurrency", default=None, type=click.IntRange(1, 64), help="同时处理的问答数，默认 2（= CPU 核数）")
@click.option("--no-warm", is_flag=True, help="不预先加载模型与索引（首个问题会较慢）")
def serve(host: str | None, port: int | None, concurrency: int | None, no_warm: bool) -> None:
    """启动网页界面（智能问答 / 政策计算器 / 条款浏览），离线运行。"""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    from ui.config import UISettings

    overrides = {k: v for k, v in {"host": host, "port": port, "concurrency": concurrency}.items() if v is not None}
    settings = UISettings(**overrides)
    problem = port_problem(settings.host, settings.port)
    if problem:  # before loading anything: say it in one line and stop (gradio would print a traceback)
        raise PortUnavailableError(problem)
    click.echo("正在启动网页界面…", err=True)
    from ui.app import build_app, launch

    demo = build_app(settings=settings, feedback_path=settings.feedback_db)
    if not no_warm:
        click.echo("正在加载问答模型与检索索引（首次可能需要几分钟）…", err=True)
        demo.services.warm()
    problem = port_problem(settings.host, settings.port)  # taken while the models loaded?
    if problem:
        raise PortUnavailableError(problem)
    shown = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    click.echo(f"请在浏览器中打开 http://{shown}:{settings.port}/  （Ctrl+C 停止）", err=True)
    sys.stdout.flush()
    launch(demo, settings, block=True, quiet=True)


class PortUnavailableError(PolicyQAError):
    """The address to serve on is busy or not this machine's; `policy-qa` prints it as one 错误： line, exit code 2."""


def port_problem(host: str, port: int) -> str | None:
    """A one-line Chinese message when host:port cannot be listened on (busy, or not this machine's address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return (f"端口 {port} 已被占用（可能已有一个网页界面在运行）。请设置环境变量 POLICY_QA_UI_PORT 换一个端口，"
                        f"例如 POLICY_QA_UI_PORT=7861 make run，或 policy-qa serve --port 7861。")
            return f"无法在 {host}:{port} 上监听（{err.strerror or err}）。请检查 POLICY_QA_UI_HOST（或 --host）与 POLICY_QA_UI_PORT（或 --port）。"
    return None

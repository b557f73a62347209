"""`policy-qa serve`: the web UI. Only click and the standard library at import time (gradio is heavy)."""

from __future__ import annotations

import os
import sys

import click

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
    click.echo("正在启动网页界面…", err=True)
    from ui.app import build_app, launch

    demo = build_app(settings=settings)
    if not no_warm:
        click.echo("正在加载问答模型与检索索引（首次可能需要几分钟）…", err=True)
        demo.services.warm()
    click.echo(f"请在浏览器中打开 http://{settings.host}:{settings.port}/  （Ctrl+C 停止）", err=True)
    sys.stdout.flush()
    launch(demo, settings, block=True, quiet=True)

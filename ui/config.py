"""UI settings, read once at the edge (`policy-qa serve`) from `POLICY_QA_UI_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class UISettings(BaseSettings):
    """Where and how the web UI serves.

    Queue sizing is deliberate. The default (deterministic) assistant answers in tens of milliseconds of
    CPU-bound Python on a 2-core machine, so more than 2 answers in flight at once adds no throughput
    (the GIL and the 2 cores are the limit) — it only interleaves them, making every answer slower, and
    multiplies peak memory. So answering events (the chat and the `/ask` API, one shared concurrency
    group) run at most `concurrency` at a time and the rest wait in a FIFO queue, which keeps latency
    fair and bounded under load; `max_queue` turns a flood into a quick "busy" error instead of an
    unbounded backlog. With an LLM endpoint configured, calls wait on the network, so raising
    `concurrency` (e.g. 8) is then what helps.
    """

    model_config = SettingsConfigDict(env_prefix="POLICY_QA_UI_", extra="forbid")

    host: str = Field(default="127.0.0.1", description="监听地址（政务内网部署如需对外提供服务，可设为 0.0.0.0）")
    port: int = Field(default=7860, ge=1, le=65535, description="监听端口")
    concurrency: int = Field(default=2, ge=1, le=64, description="同时处理的问答请求数（默认等于 CPU 核数 2）")
    max_queue: int = Field(default=256, ge=1, description="排队请求上限，超过后提示系统繁忙")
    title: str = Field(default="乌海人才政策助手", description="页面标题")
    feedback_db: Path | None = Field(default=None, description="回答评价（👍/👎）数据库文件；默认 $POLICY_QA_DATA_DIR/feedback.sqlite3")

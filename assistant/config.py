"""Assistant settings, read once at the edge (CLI / UI) from `POLICY_QA_*` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AssistantSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_QA_", extra="forbid")

    mode: Literal["deterministic", "llm"] = Field(
        default="deterministic", description="deterministic = 离线规则模式（默认）；llm = 先用大模型，失败时回退离线模式")
    llm_base_url: str | None = Field(default=None, description="OpenAI 兼容接口地址，如 http://127.0.0.1:8000/v1")
    llm_model: str | None = Field(default=None, description="模型名，如 qwen2.5-7b-instruct")
    llm_api_key: str = Field(default="EMPTY", description="接口密钥（本地 vLLM/Ollama 可留空）")
    llm_timeout_s: float = Field(default=20.0, gt=0, description="大模型单次请求超时（秒）")
    llm_deadline_s: float | None = Field(
        default=None, gt=0, description="大模型模式的总时限（秒，含全部工具调用轮次）；超过即改用离线回答。默认为单次请求超时的 2 倍")
    llm_max_tool_rounds: int = Field(default=4, ge=1, le=10, description="大模型最多调用工具的轮数")
    max_question_chars: int = Field(default=2000, ge=10, description="问题最大长度")
    log_questions: bool = Field(default=False, description="是否记录问题日志（身份证号、手机号会被遮盖）")
    log_path: str | None = Field(default=None, description="问题日志文件路径")
    top_k: int = Field(default=5, ge=1, le=20, description="每个回答引用的条款数上限")

    @property
    def effective_llm_deadline_s(self) -> float:
        """The total time LLM mode may take before the offline answer is returned: `llm_deadline_s`, else 2 × the
        per-request timeout (4 tool rounds at 20 s each would otherwise keep a user waiting 100 s)."""
        return self.llm_deadline_s if self.llm_deadline_s is not None else 2 * self.llm_timeout_s

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

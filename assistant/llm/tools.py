"""The tools the LLM may call: every registry tool (same schemas as the CLI and UI) plus `search_clauses`.

Tools run here, not inside LangChain, so a bad argument becomes a Chinese error message the model
can correct, and every successful call is recorded for the answer contract and the grounding check.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.llm.prompts import SEARCH_TOOL_NAME
from corpus.errors import PolicyQAError

log = logging.getLogger(__name__)

MAX_SEARCH_TOP_K = 10


class SearchClausesInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=200, description="检索词，如“硕士首次聘用岗位等级”")
    top_k: int = Field(default=5, ge=1, le=MAX_SEARCH_TOP_K, description="返回的条款数")


@dataclass
class ToolRun:
    """What one answer's tool calls produced."""

    calls: list[dict[str, Any]] = field(default_factory=list)  # contract records: name, arguments, result
    seen_clause_ids: list[str] = field(default_factory=list)

    @property
    def rule_calls(self) -> list[dict[str, Any]]:
        """Calls of registry tools: the only tool results that may ground a number."""
        return [c for c in self.calls if c["name"] != SEARCH_TOOL_NAME]


class ToolBox:
    """Binds the registry tools and `search_clauses` for one answer, and executes the model's calls."""

    def __init__(self, as_of: date, retriever: Any = None):
        self.as_of = as_of
        self._retriever = retriever
        self.run = ToolRun()

    @staticmethod
    def openai_schemas() -> list[dict]:
        """The registry's StructuredTools plus `search_clauses`, in OpenAI tool format, for `bind_tools`.

        Tools are executed by `execute`, not by LangChain, so the schemas do not depend on `as_of`
        and are converted once per process (converting pydantic schemas costs ~0.1 s per answer).
        """
        from eligibility_tools.registry import load_tools

        return list(_openai_schemas(tuple(load_tools())))

    def execute(self, name: str, args: Any) -> tuple[str, bool]:
        """Run one call; returns (content for the ToolMessage, ok)."""
        from eligibility_tools.registry import run_tool

        try:
            if name == SEARCH_TOOL_NAME:
                inputs = SearchClausesInput.model_validate(args)
                hits = self._search(inputs.query, inputs.top_k)
                self.run.calls.append({"name": name, "arguments": inputs.model_dump(),
                                       "result": [{"clause_id": h["clause_id"], "label": h["label"]} for h in hits]})
                return _dumps(hits), True
            result = run_tool(name, args, self.as_of).to_json()
        except PolicyQAError as err:
            log.info("LLM tool call %s rejected: %s", name, err)
            return f"错误：{err}", False
        except ValueError as err:  # pydantic ValidationError of the search input
            log.info("LLM tool call %s rejected: %s", name, err)
            return f"错误：参数无效（{err}）", False
        self.run.calls.append({"name": name, "arguments": dict(args), "result": result})
        self.run.seen_clause_ids.extend(c for c in result.get("citations", []) if c not in self.run.seen_clause_ids)
        return _dumps(result), True

    def _search(self, query: str, top_k: int = 5) -> list[dict[str, str]]:
        hits = self.retriever().retrieve(query, top_k=top_k, mode="hybrid")
        out = [{"clause_id": h.clause_id, "label": h.label, "document": h.document, "text": h.text} for h in hits]
        self.run.seen_clause_ids.extend(h["clause_id"] for h in out if h["clause_id"] not in self.run.seen_clause_ids)
        return out

    def retriever(self) -> Any:
        if self._retriever is None:
            try:
                from indexing.retriever import get_retriever  # heavy: loads the index on first use
            except ImportError as err:
                raise PolicyQAError(f"条款检索模块不可用（{err}），请参考“参考资料”中的条款作答") from err
            self._retriever = get_retriever()
        return self._retriever


@lru_cache(maxsize=4)
def _openai_schemas(tool_names: tuple[str, ...]) -> tuple[dict, ...]:
    from langchain_core.tools import StructuredTool
    from langchain_core.utils.function_calling import convert_to_openai_tool

    from eligibility_tools.registry import langchain_tools

    search = StructuredTool.from_function(
        func=lambda query, top_k=5: None, name=SEARCH_TOOL_NAME, args_schema=SearchClausesInput,
        description="在政策汇编中检索条款，返回条款编号（clause_id）、条款名称、所属文件和原文。")
    tools = [t for t in langchain_tools() if t.name in tool_names] + [search]
    return tuple(convert_to_openai_tool(t) for t in tools)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)

"""Every error the product raises, in one place, each saying what to do next.

Lives at the root of the dependency flow (corpus -> indexing -> assistant) so every package can
raise them; only the CLI and the UI turn them into user text.
"""

from __future__ import annotations


class PolicyQAError(Exception):
    """Base class: `str(err)` is a Chinese message a user can act on."""


class CorpusError(PolicyQAError):
    """The policy text or its metadata cannot be parsed or a clause cannot be found."""


class ClauseNotFoundError(CorpusError):
    def __init__(self, key: str, suggestions: list[str], ambiguous: bool = False):
        self.key = key
        self.suggestions = suggestions
        if ambiguous:
            super().__init__(f"“{key}”对应多个条款：{'，'.join(suggestions)}。请使用条款编号或带文件名的完整标签。")
            return
        hint = ("；您是否要找：" + "，".join(suggestions)) if suggestions else ""
        super().__init__(f"未找到条款“{key}”{hint}。可运行 `policy-qa corpus list` 查看全部文件。")


class DanglingReferenceError(CorpusError):
    """A parameter (or rule, case …) cites a clause id that is not in the corpus."""

    def __init__(self, clause_id: str, where: str, hint: str = ""):
        self.clause_id = clause_id
        self.where = where
        super().__init__(f"{where}引用的条款 {clause_id} 在政策原文中不存在（文件可能已删除，或条款已改号）。"
                         f"{hint}请运行 `policy-qa corpus check` 列出全部失效引用并逐一修改。")


class ClauseNotInForceError(CorpusError):
    """A parameter cites a clause that is repealed (or amended without a new parameter version) on the as-of date.

    `status` is the clause's `corpus.model.ClauseStatus` (status, reason_zh, since, by): a tool can turn this into
    an `not_in_force` result citing `status.by`.
    """

    def __init__(self, where: str, status, hint: str = ""):
        self.where = where
        self.status = status
        super().__init__(f"{where}引用的条款 {status.clause_id} {status.reason_zh}，不能据此计算。{hint}")


class IndexNotBuiltError(PolicyQAError):
    def __init__(self, detail: str = ""):
        extra = f"（{detail}）" if detail else ""
        super().__init__(f"索引尚未建立或已损坏{extra}，请先运行 `policy-qa index build`。")


class ToolInputError(PolicyQAError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"参数“{field}”有误：{message}")


class UnknownToolError(PolicyQAError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(f"没有名为“{name}”的工具。可用工具：{'，'.join(known)}")


class LLMUnavailableError(PolicyQAError):
    def __init__(self, detail: str = ""):
        super().__init__(f"大模型服务不可用（{detail}），已改用离线模式回答。")


class QuestionError(PolicyQAError):
    """The question itself is unusable (empty, too long, only punctuation)."""

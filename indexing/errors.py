"""Errors of the vector store and the data dir, each saying what to do next.

They belong with the others in `corpus/errors.py` (one place for every product error); they live here only
because that file was being changed by another piece of work at the same time. Both are `PolicyQAError`s,
so the CLI prints them as `错误：…` and the assistant returns them as its Chinese `status: "error"` answer.
"""

from __future__ import annotations

from corpus.errors import PolicyQAError


class StoreUnavailableError(PolicyQAError):
    """The Chroma server named by POLICY_QA_CHROMA_URL is down, unreachable or does not reply in time.

    Not an `IndexNotBuiltError`: rebuilding cannot help while the server is away, and "索引尚未建立" would send
    the user to the wrong fix.
    """

    def __init__(self, url: str, detail: str):
        self.url = url
        self.detail = detail
        super().__init__(f"无法使用 Chroma 向量库服务 {url}（{detail}）。请确认该服务已启动并可访问，"
                         "或检查环境变量 POLICY_QA_CHROMA_URL（不设置则使用数据目录内的内嵌向量库）；"
                         "服务较慢时可调大 POLICY_QA_CHROMA_TIMEOUT_S。")


class DataDirNotWritableError(PolicyQAError):
    """Building needs to write the data dir, and it cannot be written (read-only mount, permissions, a full disk)."""

    def __init__(self, data_dir, detail: str = ""):
        self.data_dir = data_dir
        extra = f"（{detail}）" if detail else ""
        super().__init__(f"数据目录 {data_dir} 不可写{extra}，无法建立索引。请以可写方式挂载该目录后运行 "
                         "`policy-qa index build`，或把环境变量 POLICY_QA_DATA_DIR 指向可写目录；"
                         "已建好且完好的索引在只读目录中仍可正常回答。")

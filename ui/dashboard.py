"""工作人员 page (`?staff=1`): what citizens could not get answered, read from the answers/feedback store.

Declined questions, 👎 answers with their reasons, follow-up questions nobody answered, the most asked topics and
clauses by week and the share answered / asked for more / declined, as Gradio-native plots and tables. Selecting a
row shows the answer as given (contract, as-of date, corpus and index fingerprints, code version). When
POLICY_QA_API_TOKENS is set, the page asks for one of those tokens before it shows anything.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import gradio as gr
import pandas as pd

from ui.api.auth import Guard
from ui.api.config import ApiSettings, load_api_settings

log = logging.getLogger(__name__)

TABLE_COLUMNS = {"answer_id": "回答编号", "created_at": "时间", "channel": "渠道", "question": "问题（已脱敏）",
                 "as_of": "基准日期", "conclusion": "结论", "reason": "差评原因", "comment": "留言",
                 "corpus_fingerprint": "语料指纹", "link": "接口链接"}
TOKEN_NEEDED_ZH = "请先输入访问令牌（POLICY_QA_API_TOKENS 中的任一令牌），再点“刷新”。"
TOKEN_WRONG_ZH = "访问令牌不对，请检查后重试。"
STORE_ERROR_ZH = "暂时无法读取回答记录，请稍后重试；如持续出现，请联系管理员查看服务日志。"
EMPTY_ZH = "所选时间内还没有回答记录。"


def week_start(week: str) -> pd.Timestamp:
    """"2026-W48" -> the Monday of that ISO week."""
    year, number = week.split("-W")
    return pd.Timestamp(date.fromisocalendar(int(year), int(number), 1))


def table(rows: list[dict], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    keys = ["answer_id", "created_at", "channel", "question", "as_of", "conclusion", *extra, "corpus_fingerprint", "link"]
    frame = pd.DataFrame([{TABLE_COLUMNS[k]: (r.get(k) or "") for k in keys} for r in rows],
                         columns=[TABLE_COLUMNS[k] for k in keys])
    return frame


def plot_frames(report: dict) -> dict[str, pd.DataFrame]:
    """The report's weekly figures as DataFrames for gr.BarPlot / gr.LinePlot."""
    status = pd.DataFrame(report["status_by_week"], columns=["week", "status", "status_zh", "count", "share"])
    share = status.copy()
    share["week_start"] = [week_start(w) for w in share["week"]]
    share["share_pct"] = (share["share"] * 100).round(1)
    topics = pd.DataFrame(report["topics_by_week"], columns=["week", "key", "count"])
    clauses = pd.DataFrame(report["clauses_by_week"], columns=["week", "key", "count"])
    return {"status": status, "share": share, "topics": topics, "clauses": clauses}


def totals_markdown(report: dict) -> str:
    t = report["totals"]
    if not t["asked"]:
        return EMPTY_ZH
    share = t["shares"]
    return (f"**{report['since']} 以来共 {t['asked']} 个问题**：已回答 {t['answered']}（{share['answered']:.0%}），"
            f"需补充信息 {t['needs_more_info']}（{share['needs_more_info']:.0%}），拒答 {t['out_of_scope']}"
            f"（{share['out_of_scope']:.0%}），出错 {t['error']}。拒答 {len(report['declined'])} 条、差评 "
            f"{len(report['disliked'])} 条、追问未回复 {len(report['unanswered_follow_ups'])} 条见下表；点选一行查看当时的回答原样。")


class Dashboard:
    """The page's data functions (no gradio state): tests call them directly."""

    def __init__(self, services: Any, settings: ApiSettings | None = None):
        self.services = services
        self.guard = Guard(settings or load_api_settings())

    def check(self, token: str | None) -> str:
        """"" when allowed, else the Chinese reason."""
        if not self.guard.enabled:
            return ""
        if not (token or "").strip():
            return TOKEN_NEEDED_ZH
        return "" if self.guard.allows_staff(token.strip()) else TOKEN_WRONG_ZH

    def report(self, token: str | None, weeks: int | float | None = 8) -> tuple[str, dict | None]:
        problem = self.check(token)
        if problem:
            return problem, None
        from assistant.audit import staff_report

        try:
            return "", staff_report(self.services.feedback, weeks=max(1, int(weeks or 8)))
        except Exception:
            log.exception("staff dashboard: report failed")
            return STORE_ERROR_ZH, None

    def answer(self, token: str | None, answer_id: str) -> dict:
        problem = self.check(token)
        if problem:
            return {"提示": problem}
        found = self.services.feedback.answer(str(answer_id or ""))
        return found if found is not None else {"提示": f"没有编号为 {str(answer_id)[:64]} 的回答记录（可能已超过保留期限）。"}


def build_dashboard(demo: gr.Blocks, services: Any, settings: ApiSettings | None = None) -> dict[str, Any]:
    """The 工作人员 tab, hidden unless the page was opened with `?staff=1`; call inside `gr.Tabs()`."""
    board = Dashboard(services, settings)
    private = {"api_visibility": "private", "show_progress": "hidden"}
    with gr.Tab("工作人员", id="staff-dashboard", elem_id="tab-staff", visible=False) as tab:
        gr.Markdown("市民没能得到回答的问题：拒答、差评、未回复的追问，以及每周热门主题与回答结果占比。"
                    "问题中的身份证号、手机号等已脱敏。", elem_id="staff-intro", label="看板说明")
        with gr.Row(equal_height=True):
            token = gr.Textbox(label="访问令牌", type="password", visible=board.guard.enabled, elem_id="staff-token", scale=3)
            weeks = gr.Number(8, label="统计最近几周", precision=0, minimum=1, maximum=104, elem_id="staff-weeks", scale=1)
            refresh = gr.Button("刷新", variant="primary", elem_id="staff-refresh", scale=1, min_width=72)
        summary = gr.Markdown("", elem_id="staff-summary", label="概况")
        with gr.Row():
            status_plot = gr.BarPlot(x="week", y="count", color="status_zh", title="每周问题数（按回答结果）", label="每周问题数（按回答结果）", x_title="周",
                                     y_title="问题数", color_title="结果", elem_id="staff-status-plot")
            share_plot = gr.LinePlot(x="week_start", y="share_pct", color="status_zh", title="每周回答结果占比（%）", label="每周回答结果占比（%）",
                                     x_title="周（起始日）", y_title="占比 %", color_title="结果", elem_id="staff-share-plot")
        with gr.Row():
            topics_plot = gr.BarPlot(x="week", y="count", color="key", title="每周热门主题（首条引用的文件）", label="每周热门主题（首条引用的文件）", x_title="周",
                                     y_title="问题数", color_title="文件", elem_id="staff-topics-plot")
            clauses_plot = gr.BarPlot(x="week", y="count", color="key", title="每周热门条款（首条引用）", label="每周热门条款（首条引用）", x_title="周",
                                      y_title="问题数", color_title="条款", elem_id="staff-clauses-plot")
        declined = gr.Dataframe(table([]), label="拒答的问题（超出汇编范围）", interactive=False, elem_id="staff-declined",
                                wrap=True, max_height=360)
        disliked = gr.Dataframe(table([], ("reason", "comment")), label="差评（没帮助）及原因", interactive=False,
                                elem_id="staff-disliked", wrap=True, max_height=360)
        unanswered = gr.Dataframe(table([]), label="追问后未回复（需补充信息但没有下文）", interactive=False,
                                  elem_id="staff-unanswered", wrap=True, max_height=360)
        detail = gr.JSON(label="回答原样：契约、基准日期、语料与索引指纹、代码版本", elem_id="staff-detail")

    outputs = [summary, status_plot, share_plot, topics_plot, clauses_plot, declined, disliked, unanswered]

    def load(token_text: str | None, weeks_value: float | None):
        problem, report = board.report(token_text, weeks_value)
        if report is None:
            return (problem, *([gr.skip()] * (len(outputs) - 1)))
        frames = plot_frames(report)
        return (totals_markdown(report), frames["status"], frames["share"], frames["topics"], frames["clauses"],
                table(report["declined"]), table(report["disliked"], ("reason", "comment")), table(report["unanswered_follow_ups"]))

    def show(token_text: str | None, evt: gr.SelectData):
        row = evt.row_value if evt is not None else None
        if not row:
            return gr.skip()
        return board.answer(token_text, str(row[0]))

    def on_open(weeks_value: float | None, request: gr.Request):
        staff = bool(request) and request.query_params.get("staff") == "1"
        if not staff:
            return (gr.skip(), *([gr.skip()] * len(outputs)))
        if board.guard.enabled:
            return (gr.update(visible=True), TOKEN_NEEDED_ZH, *([gr.skip()] * (len(outputs) - 1)))
        return (gr.update(visible=True), *load(None, weeks_value))

    refresh.click(load, [token, weeks], outputs, **private)
    token.submit(load, [token, weeks], outputs, **private)
    for frame in (declined, disliked, unanswered):
        frame.select(show, [token], detail, **private)
    demo.load(on_open, [weeks], [tab, *outputs], **private)
    return {"tab": tab, "board": board, "token": token, "summary": summary, "declined": declined, "disliked": disliked,
            "unanswered": unanswered, "detail": detail}

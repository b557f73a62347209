"""The Gradio app: three pages (智能问答 / 政策计算器 / 条款浏览) and the `/ask` API.

Offline by construction: analytics off, no share link, system fonts only (no web fonts), no scripts or
styles from outside, and a Content-Security-Policy that allows no outside origin (ui/web.py). Citizens see
plain Chinese; tool and field names, clause ids, JSON and the API link appear only in 工作人员模式
(the switch in the header, or `?staff=1`).
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: no telemetry, no version check

import gradio as gr  # noqa: E402

from ui.browser import build_browser  # noqa: E402
from ui.calculator import build_calculator  # noqa: E402
from ui.chat import build_chat  # noqa: E402
from ui.config import UISettings  # noqa: E402
from ui.dashboard import build_dashboard  # noqa: E402  (issue 15: 工作人员 page)
from ui.services import AssistantLike, RetrieverLike, Services  # noqa: E402
from ui.web import MAX_CLAUSE_PARAM, NOTICE_LONG_CLAUSE, NOTICE_PARAM, WebLimits  # noqa: E402

# System CJK fonts only: a named font that is not a GoogleFont/LocalFont makes gradio emit no @font-face
# and no stylesheet link, so the page never asks the internet for fonts.
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
             "WenQuanYi Micro Hei", "sans-serif"]
MONO_FONTS = ["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "monospace"]
CSS_PATH = Path(__file__).with_name("style.css")
CSS = CSS_PATH.read_text(encoding="utf-8")
UPLOAD_LIMIT = "4kb"  # the app has no upload widget; ui/web.py refuses /upload outright, this is the fallback
NOTICE_LONG_CLAUSE_ZH = "链接中的条款编号过长或无效，未能打开。已为您打开首页；可以在“条款浏览”中检索条款。"

# Gradio's own words that screen readers announce, in Chinese whatever the browser's language
# (its zh-CN table lacks some, e.g. common.complete, and an English browser would get English).
GRADIO_ZH = {
    "common": {"complete": "完成", "loading": "加载中", "error": "错误", "clear": "清除", "submit": "提交",
               "copy": "复制", "copied": "已复制", "empty": "空", "settings": "设置", "built_with_gradio": "使用 Gradio 构建"},
    "textbox": {"textbox": "文本框", "copy": "复制", "copied": "已复制"},
    "dropdown": {"dropdown": "下拉菜单"},
    "checkbox": {"checkbox": "复选框", "checkbox_group": "复选框组"},
    "radio": {"radio": "单选框"},
    "number": {"number": "数字"},
    "html": {"html": "网页内容"},
    "errors": {"use_via_api": "通过 API 使用", "use_via_api_or_mcp": "通过 API 或 MCP 使用"},
    "status": {"queue_position": "排队中：第 {position} 位，共 {size} 位"},
}

# Runs once on page load: Chinese page language for screen readers, and 工作人员模式 from ?staff=1 at once.
PAGE_JS = """
() => {
  document.documentElement.lang = 'zh-CN';
  if (new URLSearchParams(window.location.search).get('staff') === '1') {
    document.documentElement.classList.add('qa-staff-on');
  }
}
"""
STAFF_TOGGLE_JS = "(on) => { document.documentElement.classList.toggle('qa-staff-on', !!on); return []; }"


def theme() -> gr.themes.Base:
    """Calm blue, neutral field labels (the red label pills read as errors)."""
    return gr.themes.Soft(primary_hue="blue", secondary_hue="sky", neutral_hue="slate", font=CJK_FONTS,
                          font_mono=MONO_FONTS).set(
        block_label_background_fill="transparent", block_label_background_fill_dark="transparent",
        block_label_text_color="*neutral_700", block_label_text_color_dark="*neutral_200",
        block_title_background_fill="transparent", block_title_background_fill_dark="transparent",
        block_title_text_color="*neutral_800", block_title_text_color_dark="*neutral_100",
        block_label_padding="0", block_title_padding="0",
    )


def build_app(assistant: AssistantLike | None = None, retriever: RetrieverLike | None = None,
              settings: UISettings | None = None, feedback_path: Path | str | None = None) -> gr.Blocks:
    """The whole UI. `assistant` / `retriever` default to the real, cached ones (created on first use);
    votes go to `feedback_path` (default: `$POLICY_QA_DATA_DIR/feedback.sqlite3`)."""
    settings = settings or UISettings()
    from assistant.audit import audited  # issue 15: every answer goes to the audit trail (same SQLite as the votes)

    services = Services(assistant=audited(assistant, feedback_path), retriever=retriever, feedback_path=feedback_path)
    tools = services.tools()
    tool_titles = {name: spec.title_zh for name, spec in tools.items()}
    field_labels = {name: {f: info.description or f for f, info in spec.input_model.model_fields.items()}
                    for name, spec in tools.items()}

    with gr.Blocks(title=settings.title, analytics_enabled=False) as demo:
        gr.HTML(f"<h1>{settings.title}</h1><p>2023年乌海市技术技能人才支持政策汇编 · 问答、政策计算与条款查询（离线运行）</p>",
                elem_id="qa-header", js_on_load=None, label="标题")
        # created here, placed at the bottom of the page: the chat page reads it
        staff = gr.Checkbox(False, label="工作人员模式", elem_id="qa-staff-toggle",
                            container=False, render=False)
        notice = gr.HTML("", elem_id="qa-notice-bar", js_on_load=None, label="提示", visible=False)
        with gr.Tabs(selected="chat", elem_id="qa-tabs") as tabs:
            with gr.Tab("智能问答", id="chat", elem_id="tab-chat"):
                chat = build_chat(services, tool_titles, field_labels, staff)
            with gr.Tab("政策计算器", id="calculator", elem_id="tab-calculator"):
                build_calculator(services)
            with gr.Tab("条款浏览", id="browser", elem_id="tab-browser"):
                page = build_browser(services)
            build_dashboard(demo, services)  # issue 15: hidden unless ?staff=1
        with gr.Row(elem_id="qa-footer"):
            staff.render()
            gr.HTML('<p class="qa-staff">接口 /ask 返回回答契约 JSON；接口说明见页面最下方的链接。</p>', elem_id="qa-staff-api",
                    js_on_load=None, label="接口说明")

        def on_load(request: gr.Request):
            """`?staff=1` turns 工作人员模式 on; `?clause=<id>` opens that clause; a refused link gets a notice."""
            params = request.query_params if request else {}
            staff_on = params.get("staff") == "1"
            key = (params.get("clause") or "").strip()
            notice_html = gr.skip()
            if params.get(NOTICE_PARAM) == NOTICE_LONG_CLAUSE or len(key) > MAX_CLAUSE_PARAM:
                notice_html = gr.update(value=f'<div class="qa-notice" role="status">{NOTICE_LONG_CLAUSE_ZH}</div>', visible=True)
                key = ""
            staff_update = gr.update(value=True) if staff_on else gr.skip()
            if not key:
                return staff_update, notice_html, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            slug, tree_html, detail_html = page["browser"].open_clause(key)
            return (staff_update, notice_html, gr.Tabs(selected="browser"), slug if slug else gr.skip(), tree_html, detail_html)

        quiet = {"api_visibility": "private", "show_progress": "hidden"}  # gradio's progress texts are English
        demo.load(on_load, None, [staff, notice, tabs, page["doc"], page["tree"], page["detail"]], queue=False, **quiet)
        restore, restore_inputs, restore_outputs = chat["restore"]
        demo.load(restore, restore_inputs, restore_outputs, queue=False, **quiet)
        staff.change(None, [staff], None, js=STAFF_TOGGLE_JS, **quiet)

        def ask(question: str, session_id: str | None = None, as_of: str | None = None) -> dict:
            """Answer a question about the 2023 Wuhai talent-policy compilation.

            Returns the answer contract: status, conclusion, answer, citations[{clause_id, document, label, text}],
            tool_calls, warnings, follow_up_questions, elapsed_ms. Pass the same session_id (at most 64 characters)
            for follow-ups; as_of is YYYY-MM-DD (default today).
            """
            return services.ask(question, session_id=session_id, as_of=as_of)

        gr.api(ask, api_name="ask", concurrency_id="assistant")
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=settings.max_queue)
    demo.services = services  # for `serve` to warm up, and for tests
    return demo


def api_names(demo: gr.Blocks) -> set[str]:
    """The API names a client may call (gradio answers 500 for others; ui/web.py turns that into 404)."""
    return {fn.api_name for fn in demo.fns.values() if fn.api_name and getattr(fn, "api_visibility", "public") != "private"}


def launch(demo: gr.Blocks, settings: UISettings, block: bool = True, quiet: bool = False):
    """Start serving on settings.host:port; returns (app, local_url, share_url) when not blocking."""
    from starlette.middleware import Middleware

    from ui.api import api_middleware

    return demo.launch(
        server_name=settings.host, server_port=settings.port, share=False, inbrowser=False,
        prevent_thread_lock=not block, quiet=quiet, show_error=False, theme=theme(), css=CSS, js=PAGE_JS,
        footer_links=["api"], run_history=False, enable_monitoring=False, mcp_server=False, pwa=False, ssr_mode=False,
        favicon_path=None, max_file_size=UPLOAD_LIMIT, i18n=gr.I18n(**{"zh-CN": GRADIO_ZH, "en": GRADIO_ZH}),
        app_kwargs={"middleware": [Middleware(WebLimits, api_names=lambda: api_names(demo)),
                                   api_middleware(demo.services, settings)]},  # issue 15: /api/v1, /v1, /docs
    )

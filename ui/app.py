"""The Gradio app: three pages (智能问答 / 政策计算器 / 条款浏览) and the `/ask` API.

Offline by construction: analytics off, no share link, system fonts only (no web fonts), no
scripts or styles from outside; the browser test records every request the page makes.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: no telemetry, no version check

import gradio as gr  # noqa: E402

from ui.browser import build_browser  # noqa: E402
from ui.calculator import build_calculator  # noqa: E402
from ui.chat import build_chat  # noqa: E402
from ui.config import UISettings  # noqa: E402
from ui.services import AssistantLike, RetrieverLike, Services  # noqa: E402

# System CJK fonts only: a named font that is not a GoogleFont/LocalFont makes gradio emit no @font-face
# and no stylesheet link, so the page never asks the internet for fonts.
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
             "WenQuanYi Micro Hei", "sans-serif"]
MONO_FONTS = ["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "monospace"]

CSS = """
.gradio-container { max-width: 1400px !important; }
#qa-header h1 { margin-bottom: 0; }
.qa-muted { color: var(--body-text-color-subdued); padding: 6px 2px; }
.qa-status { font-weight: 600; margin-bottom: 4px; }
.qa-status-out_of_scope { color: #92400e; }
.qa-status-needs_more_info { color: #1d4ed8; }
.qa-status-error, .qa-error { color: #b91c1c; font-weight: 600; }
.qa-error { background: #fef2f2; border: 1px solid #fecaca; border-radius: 6px; padding: 8px 10px; }
.qa-warning { background: #fffbeb; border: 1px solid #f59e0b; border-left: 4px solid #f59e0b; border-radius: 6px;
              padding: 6px 10px; margin: 8px 0; color: #78350f; }
.qa-warning ul { margin: 4px 0 0 1.2em; padding: 0; }
.qa-cites { margin-top: 8px; }
.qa-cites-title { font-size: 0.9em; color: var(--body-text-color-subdued); margin-bottom: 4px; }
.qa-cite { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 4px 8px; margin: 4px 0;
           background: var(--background-fill-secondary); }
.qa-cite summary { cursor: pointer; }
.qa-cite-doc { color: var(--body-text-color-subdued); font-size: 0.9em; }
.qa-cite-text { margin: 6px 0; padding-left: 8px; border-left: 3px solid var(--border-color-accent); white-space: normal; }
.qa-cite-open { font-size: 0.9em; }
.qa-followups { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0; }
.qa-followups-title { color: var(--body-text-color-subdued); font-size: 0.9em; }
.qa-chip { border: 1px solid var(--color-accent); color: var(--color-accent); background: var(--background-fill-primary);
           border-radius: 999px; padding: 3px 12px; cursor: pointer; font-size: 0.9em; }
.qa-chip:hover { background: var(--color-accent-soft); }
.qa-result { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 14px; }
.qa-outcome { font-size: 1.05em; margin-bottom: 8px; }
.qa-badge { display: inline-block; border-radius: 4px; padding: 1px 8px; color: white; background: #2563eb; font-weight: 600; }
.qa-outcome-eligible .qa-badge { background: #15803d; }
.qa-outcome-not_eligible .qa-badge { background: #b91c1c; }
.qa-outcome-needs_info .qa-badge, .qa-outcome-ambiguous .qa-badge { background: #b45309; }
.qa-outcome-not_in_force .qa-badge { background: #6b7280; }
.qa-kv { border-collapse: collapse; margin: 6px 0; }
.qa-kv td, .qa-kv th { border: 1px solid var(--border-color-primary); padding: 3px 8px; text-align: left; }
.qa-value { font-size: 1.05em; }
.qa-params, .qa-why, .qa-asof { color: var(--body-text-color-subdued); font-size: 0.85em; }
.qa-tree ul { list-style: none; margin: 0 0 0 1em; padding: 0; }
.qa-tree > ul { margin-left: 0; }
.qa-tree li { margin: 2px 0; }
.qa-tree-title { font-weight: 600; margin-bottom: 6px; }
.qa-tree .qa-selected > a { background: var(--color-accent-soft); font-weight: 600; }
.qa-clause-link { text-decoration: none; }
.qa-clause-label { font-size: 1.15em; font-weight: 600; }
.qa-crumbs { color: var(--body-text-color-subdued); margin: 2px 0 8px; }
.qa-clause-text { margin: 8px 0; line-height: 1.8; }
.qa-child { margin: 4px 0; line-height: 1.7; }
.qa-clause-id { margin-top: 10px; font-size: 0.85em; color: var(--body-text-color-subdued); }
.qa-hit { border-bottom: 1px dashed var(--border-color-primary); padding: 6px 0; }
.qa-hit-head { font-weight: 600; }
.qa-match { margin: 8px 0; }
.qa-match-applies > b { color: #15803d; }
.qa-match-nearly > b { color: #b45309; }
.qa-match-expired > b, .qa-match-no > b { color: #6b7280; }
.qa-amount { font-weight: 600; color: #b91c1c; }
mark { background: #fde68a; color: inherit; padding: 0 1px; }
"""


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="red", secondary_hue="orange", neutral_hue="slate", font=CJK_FONTS,
                          font_mono=MONO_FONTS)


def build_app(assistant: AssistantLike | None = None, retriever: RetrieverLike | None = None,
              settings: UISettings | None = None) -> gr.Blocks:
    """The whole UI. `assistant` / `retriever` default to the real, cached ones (created on first use)."""
    settings = settings or UISettings()
    services = Services(assistant=assistant, retriever=retriever)
    tools = services.tools()
    tool_titles = {name: spec.title_zh for name, spec in tools.items()}
    field_labels = {name: {f: info.description or f for f, info in spec.input_model.model_fields.items()}
                    for name, spec in tools.items()}

    with gr.Blocks(title=settings.title, analytics_enabled=False) as demo:
        gr.Markdown(f"# {settings.title}\n2023年乌海市技术技能人才支持政策汇编 · 离线问答、政策计算与条款检索",
                    elem_id="qa-header")
        with gr.Tabs(selected="chat", elem_id="qa-tabs") as tabs:
            with gr.Tab("智能问答", id="chat", elem_id="tab-chat"):
                chat = build_chat(services, tool_titles, field_labels)
            with gr.Tab("政策计算器", id="calculator", elem_id="tab-calculator"):
                build_calculator(services)
            with gr.Tab("条款浏览", id="browser", elem_id="tab-browser"):
                page = build_browser(services)

        def on_load(session_id: str | None, request: gr.Request):
            """Give the browser session its assistant session; `?clause=<id>` opens that clause."""
            from ui.services import new_session_id

            session_id = session_id or new_session_id()
            key = (request.query_params.get("clause") or "").strip() if request else ""
            if not key:
                return session_id, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            slug, tree_html, detail_html = page["browser"].open_clause(key)
            return (session_id, gr.Tabs(selected="browser"), slug if slug else gr.skip(), tree_html, detail_html)

        demo.load(on_load, chat["session"], [chat["session"], tabs, page["doc"], page["tree"], page["detail"]],
                  api_visibility="private", queue=False)

        def ask(question: str, session_id: str | None = None, as_of: str | None = None) -> dict:
            """Answer a question about the 2023 Wuhai talent-policy compilation.

            Returns the answer contract: status, answer, citations[{clause_id, document, label, text}],
            tool_calls, warnings, follow_up_questions, elapsed_ms. Pass the same session_id for follow-ups;
            as_of is YYYY-MM-DD (default today).
            """
            return services.ask(question, session_id=session_id, as_of=as_of)

        gr.api(ask, api_name="ask", concurrency_id="assistant")
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=settings.max_queue)
    demo.services = services  # for `serve` to warm up, and for tests
    return demo


def launch(demo: gr.Blocks, settings: UISettings, block: bool = True, quiet: bool = False):
    """Start serving on settings.host:port; returns (app, local_url, share_url) when not blocking."""
    return demo.launch(
        server_name=settings.host, server_port=settings.port, share=False, inbrowser=False,
        prevent_thread_lock=not block, quiet=quiet, show_error=False, theme=theme(), css=CSS,
        footer_links=["api"], run_history=False, enable_monitoring=False, mcp_server=False, pwa=False, ssr_mode=False,
        favicon_path=None,
    )

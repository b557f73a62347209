"""政策计算器 page: one generated form per registered tool (no hand-written form), a shared result panel.

Forms come from `ui.schema_form.fields_from_schema(spec.json_schema())`; every tool the registry holds
when the app is built gets one, so tools added later need no UI change. post_structure_quota results
also get a bar chart of posts per grade.

Citizens see Chinese only: tools by their Chinese titles, results by the Chinese label of each field
(ui/labels.py); fields that take JSON and the raw result are shown in 工作人员模式 only. The page opens on
a short, common tool, and the result stays in view after 计算 (a sticky column on wide screens, scrolled
to on phones).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import gradio as gr

from eligibility_tools.dates import parse_as_of
from ui.labels import input_labels
from ui.render import error_html, esc, is_match_value, match_citations, quota_chart_rows, tool_result_html
from ui.schema_form import FieldSpec, collect_args, fields_from_schema, initial_value
from ui.services import Services

log = logging.getLogger(__name__)

CHART_TOOLS = {"post_structure_quota"}
NOT_GIVEN = "（不填）"
DEFAULT_TOOL = "initial_post_grade"  # three fields, and the question most newcomers ask first
# The assistant's own helpers, whose inputs are rule ids and JSON: not forms for people (the CLI has them).
INTERNAL_TOOLS = {"clause_rule", "sum_amounts"}
RESULT_INTRO = '<div class="qa-muted">选择工具、填写信息后点击“计算”。不清楚的项可以不填，工具会告诉您还需要哪些信息。</div>'
SCROLL_TO_RESULT_JS = """
() => {
  const el = document.querySelector('#calc-result');
  if (el) {
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.6) { el.scrollIntoView({block: 'start'}); }
  }
  return [];
}
"""


def tool_description(spec) -> str:
    """The tool's description for people: the docstring's first paragraph, whole (the registry keeps only its
    first line, which cuts some mid-sentence), without stray string quotes."""
    doc = (spec.func.__doc__ or spec.title_zh or "").strip()
    first = doc.split("\n\n", 1)[0]
    text = re.sub(r'"\s*\n\s*"', "", first)  # an implicitly concatenated literal pasted into a docstring
    return re.sub(r"\s*\n\s*", "", text).strip().strip('"').strip()


def component_for(spec: FieldSpec) -> gr.components.Component:
    """The widget for one schema field: enums -> dropdown, numbers -> number, booleans -> 是/否/不清楚,
    lists of enums -> checkbox group, the rest -> text. The label is the field's Chinese description.
    Always interactive: gradio infers interactivity from event inputs, which misses widgets made in gr.render."""
    label = spec.display_label
    info = spec.info or None
    elem_id = f"calc-{spec.name}"
    if spec.kind == "json":
        # JSON input is for staff; citizens use the plain fields next to it (e.g. 人数 and 年限 instead of 分批)
        return gr.Textbox(value=initial_value(spec), label=label, info=info, placeholder=spec.info or "", elem_id=elem_id,
                          lines=3, interactive=True, elem_classes=["qa-staff"])
    if spec.name == "document" and spec.kind == "text":
        from corpus.loader import load_corpus

        choices = [(NOT_GIVEN, ""), *((d.short_title, d.slug) for d in load_corpus().documents)]
        return gr.Dropdown(choices=choices, value="", label="政策文件" + ("（必填）" if spec.required else ""), elem_id=elem_id,
                           filterable=True, interactive=True)
    if spec.kind == "dropdown":
        choices: list[Any] = [str(c) for c in spec.choices]
        if not spec.required:
            choices = [(NOT_GIVEN, ""), *choices]
        value = initial_value(spec)
        return gr.Dropdown(choices=choices, value=str(value) if value is not None else ("" if not spec.required else None),
                           label=label, info=info, elem_id=elem_id, filterable=True, interactive=True)
    if spec.blank_number:
        unit = "整数" if spec.kind == "integer" else "数字"
        hint = f"填写{unit}" + ("" if spec.required else "；不清楚可不填")
        return gr.Textbox(value="", label=label, info=info, placeholder=hint, elem_id=elem_id, elem_classes=["calc-number"],
                          interactive=True)
    if spec.kind in ("integer", "number"):
        return gr.Number(value=initial_value(spec), label=label, info=info, minimum=spec.minimum, maximum=spec.maximum,
                         precision=0 if spec.kind == "integer" else None, elem_id=elem_id, interactive=True)
    if spec.kind == "tristate":
        return gr.Radio(choices=list(spec.choices), value=initial_value(spec), label=label, info=info, elem_id=elem_id,
                        interactive=True)
    if spec.kind == "checkboxes":
        return gr.CheckboxGroup(choices=[str(c) for c in spec.choices], value=initial_value(spec), label=label, info=info,
                                elem_id=elem_id, interactive=True)
    return gr.Textbox(value=initial_value(spec), label=label, info=info, placeholder=spec.info or "", elem_id=elem_id,
                      lines=3 if spec.kind == "json" else 1, interactive=True)


def run_calculation(services: Services, name: str, fields: list[FieldSpec], as_of_text: str | None,
                    values: list[Any]) -> tuple[str, list[dict], dict | None]:
    """(result html, chart rows, raw result json). Bad input becomes a Chinese message, never a crash."""
    from corpus.errors import PolicyQAError
    from eligibility_tools.registry import run_tool

    try:
        as_of = parse_as_of(as_of_text)
        args = collect_args(fields, values)
        result = run_tool(name, args, as_of).to_json()
    except (PolicyQAError, ValueError) as err:
        return error_html(str(err)), [], None
    except Exception:
        log.exception("tool %s failed", name)
        return error_html("计算出错，请检查输入后重试；如持续出现，请联系管理员查看服务日志。"), [], None
    cited = list(result.get("citations") or [])
    if is_match_value(result.get("value")):
        cited += [c for c in match_citations(result["value"]) if c not in cited]
    labels = services.clause_labels(cited)
    rows = quota_chart_rows(result) if name in CHART_TOOLS else []
    from eligibility_tools.registry import get_tool

    spec = get_tool(name)
    return tool_result_html(result, labels, inputs=input_labels(spec), tool_title=spec.title_zh), rows, result


def _tool_choice(spec) -> tuple[str, str]:
    prefix = f"{spec.category}｜" if spec.category else ""
    return f"{prefix}{spec.title_zh}", spec.name


def tool_form(services: Services, spec, as_of: gr.Textbox, outputs: list[gr.components.Component]) -> gr.Column:
    """The generated form of one tool (a column of widgets and a 计算 button wired to `outputs`:
    result html, chart)."""
    fields = fields_from_schema(spec.json_schema())
    with gr.Column(elem_id=f"calc-form-{spec.name}", elem_classes=["calc-form"]) as column:
        gr.HTML(f'<h3 class="qa-form-title">{esc(spec.title_zh)}</h3><p class="qa-desc">{esc(tool_description(spec))}</p>'
                f'<p class="qa-staff">工具名：<code>{esc(spec.name)}</code></p>', js_on_load=None, label="工具说明")
        widgets = [component_for(f) for f in fields]
        button = gr.Button("计算", variant="primary", elem_id=f"calc-run-{spec.name}")

    def run(as_of_text, *values):
        html_out, rows, _result = run_calculation(services, spec.name, fields, as_of_text, list(values))
        if rows:
            import pandas as pd

            frame = pd.DataFrame(rows)
            top = max(r["岗位数"] for r in rows)
            chart_update = gr.update(value=frame, visible=True, sort=[r["岗位等级"] for r in rows],
                                     y_lim=[0, max(1, top + (top + 9) // 10)])  # from 0: a bar's height is its count
        else:
            chart_update = gr.update(visible=False)
        return html_out, chart_update

    # after a long form (policy_match has ~80 fields) the result is brought into view
    button.click(run, [as_of, *widgets], outputs, api_visibility="private", show_progress="hidden").then(
        None, None, None, js=SCROLL_TO_RESULT_JS, api_visibility="private", show_progress="hidden")
    return column


def build_calculator(services: Services, initial_tool: str | None = None) -> dict[str, Any]:
    """The page. Only the chosen tool's form exists at a time (`gr.render`): all 16 forms at once were
    ~300 components, which gradio copies into every new session's state (18 ms per session, paid again
    by every API client) and sends to every browser."""
    tools = {name: spec for name, spec in services.tools().items() if name not in INTERNAL_TOOLS}
    ordered = sorted(tools.values(), key=lambda s: (s.category, s.name))
    if not ordered:
        gr.Markdown("暂无可用的计算工具。", label="说明")
        return {}
    first = initial_tool if initial_tool in tools else (DEFAULT_TOOL if DEFAULT_TOOL in tools else ordered[0].name)

    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            picker = gr.Dropdown(choices=[_tool_choice(s) for s in ordered], value=first, label="选择计算工具",
                                 elem_id="calc-tool", filterable=True)
            as_of = gr.Textbox(label="政策基准日期", placeholder="YYYY-MM-DD，留空为今天", elem_id="calc-asof")
            form_area = gr.Column(elem_id="calc-form-area")
        with gr.Column(scale=3, min_width=300, elem_id="calc-result-col"):
            result_html = gr.HTML(RESULT_INTRO, elem_id="calc-result", js_on_load=None, label="计算结果")
            chart = gr.BarPlot(None, x="岗位等级", y="岗位数", title="各等级岗位数", label="各等级岗位数", visible=False, elem_id="calc-chart",
                               height=320)

    with form_area:
        @gr.render(inputs=picker, show_progress="hidden")
        def show_form(name: str | None):
            spec = tools.get(name or "")
            if spec is None:
                gr.Markdown("请选择一个计算工具。", label="说明")
                return
            tool_form(services, spec, as_of, [result_html, chart])

    return {"picker": picker}

"""The app's structure, built with fakes and not served: pages, generated forms, API, queue."""

from __future__ import annotations

import pytest

from tests.ui.fakes import FakeAssistant, FakeRetriever


@pytest.fixture(scope="module")
def demo():
    from ui.app import build_app
    from ui.config import UISettings

    return build_app(FakeAssistant(), FakeRetriever(), UISettings(concurrency=2, max_queue=50))


def _by_elem_id(demo) -> dict:
    return {b.elem_id: b for b in demo.blocks.values() if getattr(b, "elem_id", None)}


class TestBuildApp:
    def test_run_has_three_chinese_pages(self, demo):
        import gradio as gr

        tabs = [b.label for b in demo.blocks.values() if isinstance(b, gr.Tab) and b.visible is not False]
        assert tabs == ["智能问答", "政策计算器", "条款浏览"]  # 工作人员 (issue 15) is hidden unless ?staff=1

    def test_run_one_generated_form_per_registered_tool(self):
        from eligibility_tools.registry import load_tools

        for name, spec in load_tools().items():
            ids = _by_elem_id(_form_alone(name))
            assert f"calc-form-{name}" in ids and f"calc-run-{name}" in ids
            for field in spec.input_model.model_fields:
                assert f"calc-{field}" in ids

    def test_run_forms_are_rendered_one_at_a_time(self, demo):
        ids = _by_elem_id(demo)
        assert "calc-tool" in ids and "calc-form-area" in ids
        assert not any(elem_id.startswith("calc-form-") and elem_id != "calc-form-area" for elem_id in ids)
        assert len(demo.blocks) < 100  # every new session copies the config of every block

    def test_run_initial_post_grade_form_widgets(self):
        import gradio as gr

        widgets = _by_elem_id(_form_alone("initial_post_grade"))
        degree = widgets["calc-degree"]
        assert isinstance(degree, gr.Dropdown)
        assert degree.label.startswith("最高学历/学位") and degree.label.endswith("（必填）")
        assert ("硕士", "硕士") in degree.choices
        full_time = widgets["calc-full_time"]
        assert isinstance(full_time, gr.Radio)
        assert [c[0] for c in full_time.choices] == ["是", "否", "不清楚"] and full_time.value == "不清楚"

    def test_run_only_ask_is_a_public_api(self, demo):
        from gradio_client.utils import SKIP_COMPONENTS  # noqa: F401  (imported to prove the client is installed)

        info = demo.get_api_info()
        assert list(info["named_endpoints"]) == ["/ask"]
        params = [p["parameter_name"] for p in info["named_endpoints"]["/ask"]["parameters"]]
        assert params == ["question", "session_id", "as_of"]

    def test_run_queue_is_bounded_and_answers_share_one_concurrency_group(self, demo):
        assert demo._queue.default_concurrency_limit == 2
        assert demo._queue.max_size == 50
        answering = [fn for fn in demo.fns.values() if fn.concurrency_id == "assistant"]
        assert len(answering) >= 4  # after submit, after send, after a chip click, /ask
        assert any(fn.api_name == "ask" for fn in answering)

    def test_run_no_share_or_analytics(self, demo):
        assert demo.analytics_enabled is False
        assert demo.share is False

    def test_run_calculator_opens_on_a_short_tool_and_lists_tools_in_chinese(self, demo):
        import re

        picker = _by_elem_id(demo)["calc-tool"]
        assert picker.value == "initial_post_grade"
        shown = [label for label, _ in picker.choices]
        assert shown and not any(re.search(r"[a-z]_[a-z]|[A-Za-z]{3,}", label) for label in shown), shown
        assert "clause_rule" not in [value for _, value in picker.choices]

    def test_run_json_inputs_are_staff_only(self):
        widgets = _by_elem_id(_form_alone("apprenticeship_subsidy"))
        assert "qa-staff" in (widgets["calc-cohorts"].elem_classes or [])
        assert "qa-staff" not in (widgets["calc-apprentices"].elem_classes or [])
        document = _by_elem_id(_form_alone("document_validity"))["calc-document"]
        assert ("岗位设置及职称评聘实施意见", "post-title") in document.choices and document.label == "政策文件（必填）"

    def test_run_tool_descriptions_are_whole_sentences(self):
        from eligibility_tools.registry import load_tools
        from ui.calculator import tool_description

        for spec in load_tools().values():
            text = tool_description(spec)
            assert text and '"' not in text and "\n" not in text, (spec.name, text)

    def test_run_conversation_is_kept_in_the_browser_and_public_api_is_ask_only(self, demo):
        import gradio as gr

        from ui.app import api_names

        stores = [b for b in demo.blocks.values() if isinstance(b, gr.BrowserState)]
        assert len(stores) == 1 and stores[0].storage_key == "wuhai-policy-qa-conversation-v1"
        assert "ask" in api_names(demo) and not api_names(demo) & {"respond", "on_load", "restore", "on_click", "start"}
        staff = _by_elem_id(demo)["qa-staff-toggle"]
        assert isinstance(staff, gr.Checkbox) and staff.label == "工作人员模式"

    def test_run_every_component_has_a_chinese_label(self, demo):
        """Unlabelled gradio components are announced by their type in English ("Textbox")."""
        import re

        import gradio as gr

        for block in demo.blocks.values():
            if isinstance(block, gr.components.Component) and not isinstance(block, (gr.State, gr.BrowserState, gr.Button)):
                label = getattr(block, "label", None)
                assert label and not re.search(r"[A-Za-z]{3,}", str(label)), (type(block).__name__, block.elem_id, label)


    def test_run_no_event_shows_gradios_english_progress(self, demo):
        """gradio's progress shows "queue: 1/1 | 0.1/0.0s" / "processing |" over the outputs: every event hides it."""
        shown = [(d["id"], d.get("api_name"), d["show_progress"]) for d in demo.get_config_file()["dependencies"]
                 if d["show_progress"] != "hidden"]
        assert shown == []
        for tool in ("initial_post_grade", "apprenticeship_subsidy"):  # the forms gr.render builds on demand
            form = _form_alone(tool)
            assert {d["show_progress"] for d in form.get_config_file()["dependencies"]} == {"hidden"}

    def test_run_stylesheet_hides_gradios_progress_texts_by_their_current_class_names(self):
        """The safety net in style.css names classes of gradio's status tracker; fails if gradio renames them."""
        import re
        from pathlib import Path

        import gradio

        from ui.app import CSS

        assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
        tracker = "".join(p.read_text(encoding="utf-8", errors="replace") for p in assets.glob("statustracker-*.js"))
        assert tracker, "gradio's status tracker bundle not found"
        rule = re.search(r"([^{}]*progress-text[^{}]*)\{\s*display:\s*none", CSS)
        assert rule, "style.css no longer hides gradio's progress texts"
        hidden = re.findall(r"\.([a-z-]+)", rule.group(1))
        assert {"progress-text", "meta-text", "eta-bar"} <= set(hidden)
        for name in hidden:
            if name != "gradio-container":
                assert name in tracker, f"gradio no longer uses .{name}"

    def test_run_gradios_own_words_are_chinese_in_every_browser_language(self):
        """Screen readers announced "common.complete" (missing from gradio's zh-CN table) and English labels."""
        import re

        from ui.app import GRADIO_ZH

        assert GRADIO_ZH["common"]["complete"] == "完成" and GRADIO_ZH["textbox"]["textbox"] == "文本框"
        for group, words in GRADIO_ZH.items():
            for key, text in words.items():
                assert re.search(r"[\u4e00-\u9fff]", text), (group, key, text)

def _form_alone(tool: str):
    """The generated form of one tool, built in a Blocks of its own (the app renders it on demand)."""
    import gradio as gr

    from eligibility_tools.registry import load_tools
    from ui.calculator import tool_form
    from ui.services import Services

    with gr.Blocks() as blocks:
        as_of = gr.Textbox()
        outputs = [gr.HTML(), gr.BarPlot(None, x="x", y="y")]
        tool_form(Services(FakeAssistant(), FakeRetriever()), load_tools()[tool], as_of, outputs)
    return blocks


class TestCli:
    def test_run_serve_help_is_chinese_and_imports_no_gradio(self):
        import subprocess
        import sys

        code = ("import sys; from click.testing import CliRunner; from ui.cli import serve; "
                "r = CliRunner().invoke(serve, ['--help']); print(r.output); "
                "assert 'gradio' not in sys.modules, 'gradio imported at CLI import time'")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert "--host" in out.stdout and "--port" in out.stdout and "启动网页界面" in out.stdout

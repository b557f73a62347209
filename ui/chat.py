"""智能问答 page: messages-format chat with citation cards, collapsible 工具调用 blocks, warnings,
follow-up chips, copy-answer, as-of date, example questions, clear button; one assistant session per
browser session (a `gr.State` that the page load fills and 清空对话 renews)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui.render import answer_messages, answer_plain_text, followup_asks_user, followups_html, user_display
from ui.services import Services, new_session_id

EXAMPLE_QUESTIONS = [
    "技能大赛金奖奖金多少？",
    "硕士研究生首次聘用专业技术岗位可以聘几级？",
    "本科毕业在乡镇工作满几年可以申报中级职称？",
    "企业新型学徒制的培训补贴标准是多少？",
    "市级创业孵化基地认定后有哪些扶持？",
    "人力资源服务机构有哪些奖励政策？",
]

# Follow-up chips: a click on a chip sends its text back to Python (the chips are plain HTML).
CHIP_JS = """
element.addEventListener('click', (e) => {
  const chip = e.target.closest('button.qa-chip');
  if (chip) { trigger('click', {question: chip.dataset.q}); }
});
"""

# Copies the last answer (plain text with its cited labels) to the clipboard.
COPY_JS = """
(text) => {
  if (!text) { return []; }
  const done = () => { const b = document.querySelector('#qa-copy'); if (b) { b.dataset.copied = '1'; } };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, done); }
  else { const t = document.createElement('textarea'); t.value = text; document.body.appendChild(t); t.select();
         document.execCommand('copy'); t.remove(); done(); }
  return [];
}
"""


def build_chat(services: Services, tool_titles: dict[str, str], field_labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Lay out the chat page inside the current Blocks context; returns its stateful components."""
    session = gr.State(None)
    last_status = gr.State("")

    with gr.Row(equal_height=False):
        with gr.Column(scale=4, min_width=480):
            chatbot = gr.Chatbot(
                label="对话", show_label=False, elem_id="qa-chatbot", height=560, buttons=["copy", "copy_all"],
                feedback_options=None, placeholder="**您好！我可以解答《2023年乌海市技术技能人才支持政策汇编》中的问题。**\n\n"
                "每个回答都附有依据条款；金额、等级等数字来自条文原文或政策计算工具。",
                examples=[{"text": q} for q in EXAMPLE_QUESTIONS], layout="panel",
            )
            followups = gr.HTML("", elem_id="qa-followups", js_on_load=CHIP_JS)
            with gr.Row(equal_height=True):
                question = gr.Textbox(placeholder="请输入您的问题，例如：技能大赛金奖奖金多少？", show_label=False, scale=8,
                                      lines=1, max_lines=6, elem_id="qa-question", submit_btn=False)
                send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="qa-send")
            # the copy button runs in the browser, so the text lives in a (hidden) frontend component, not a State
            last_answer = gr.Textbox("", visible=False, elem_id="qa-last-answer")
            with gr.Row():
                copy = gr.Button("复制回答", size="sm", elem_id="qa-copy")
                clear = gr.Button("清空对话", size="sm", elem_id="qa-clear")
        with gr.Column(scale=1, min_width=220):
            as_of = gr.Textbox(label="政策基准日期", placeholder="YYYY-MM-DD，留空为今天", elem_id="qa-asof",
                               info="按哪一天判断政策是否仍在执行期内")
            gr.Markdown(
                "**使用提示**\n\n"
                "- 直接用自己的话提问，可连续追问。\n"
                "- 点击“依据条款”可展开原文，并在条款浏览中打开。\n"
                "- “工具调用”显示计算所用的输入与结果。\n"
                "- 黄色框为到期等提示，请留意。\n"
                "- 本助手离线运行，回答仅供参考，以正式文件为准。",
                elem_classes=["qa-tips"],
            )

    outputs = [chatbot, question, followups, last_status, last_answer, session]

    def respond(text: str | None, history: list | None, session_id: str | None, as_of_text: str | None):
        session_id = session_id or new_session_id()
        text = text or ""
        contract = services.ask(text, session_id=session_id, as_of=as_of_text)
        history = list(history or [])
        history.append({"role": "user", "content": user_display(text)})
        history.extend(answer_messages(contract, tool_titles, field_labels))
        questions = list(contract.get("follow_up_questions") or [])
        status = str(contract.get("status", ""))
        return (history, gr.update(value="", placeholder="继续提问，或点击下方的追问"),
                followups_html(questions, status), status, answer_plain_text(contract), session_id)

    def from_example(history, session_id, as_of_text, evt: gr.SelectData):
        value = evt.value if isinstance(evt.value, dict) else {"text": str(evt.value)}
        return respond(value.get("text", ""), history, session_id, as_of_text)

    def from_chip(history, session_id, as_of_text, status, evt: gr.EventData):
        chip = str(getattr(evt, "question", "") or "")
        if followup_asks_user(chip, status or ""):
            # The assistant asked the user something: let them answer it in their own words.
            return (gr.skip(), gr.update(value="", placeholder=f"请回答：{chip}"), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        return respond(chip, history, session_id, as_of_text)

    def clear_all():
        return ([], gr.update(value="", placeholder="请输入您的问题，例如：技能大赛金奖奖金多少？"), "", "", "",
                new_session_id())

    common = {"concurrency_id": "assistant", "api_visibility": "private"}
    question.submit(respond, [question, chatbot, session, as_of], outputs, **common)
    send.click(respond, [question, chatbot, session, as_of], outputs, **common)
    chatbot.example_select(from_example, [chatbot, session, as_of], outputs, **common)
    followups.click(from_chip, [chatbot, session, as_of, last_status], outputs, **common)
    clear.click(clear_all, None, outputs, api_visibility="private", queue=False)
    chatbot.clear(clear_all, None, outputs, api_visibility="private", queue=False)  # the chatbot's own trash icon
    copy.click(None, [last_answer], None, js=COPY_JS, api_visibility="private")
    return {"session": session, "chatbot": chatbot, "question": question}

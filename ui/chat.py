"""智能问答 page: a conversation the page itself scrolls (no inner chat box), answer cards built from the
answer contract (ui/answer.py), 👍/👎 on every answer, and a conversation that survives a reload.

- Sending shows the question at once with a "正在查找条款…" bubble and disables 发送 until the answer
  arrives; the page then scrolls to the top of the new answer and moves focus to its conclusion.
- The conversation lives in the browser (`gr.BrowserState`, i.e. local storage) — no server state is needed
  to bring it back after a reload; `gr.State` keeps this page's full contracts for feedback.
- 打印 / 导出本次问答 give a citizen a record to bring to a counter.
- User text is always escaped, never rendered as markdown or HTML.
"""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import Any

import gradio as gr

from ui.answer import (
    MAX_TURNS,
    REASONS,
    answer_text,
    conversation_html,
    conversation_text,
    new_turn,
    restore_turns,
    stored_turns,
)
from ui.services import Services, new_session_id, session_id_problem

STORAGE_KEY = "wuhai-policy-qa-conversation-v1"
# BrowserState encrypts what it stores with this key. The conversation is the citizen's own and stays in their
# browser; a fixed key (rather than gradio's random one per server start) lets it survive a server restart.
STORAGE_SECRET = "wuhai-policy-qa-local-conversation"
PLACEHOLDER = "请输入您的问题，例如：技能大赛金奖奖金多少？"
PLACEHOLDER_NEXT = "继续提问，或点击上方的问题"

# The conversation's own script: scroll to the element a render marks with data-focus (the pending question,
# then the new answer's top) and pass clicks on its buttons (examples, follow-ups, 👍/👎, reasons) to Python.
CONV_JS = """
const host = element;
function goToFocus() {
  const el = host.querySelector('[data-focus]');
  if (!el || host.__qaFocus === el.dataset.focus) { return; }
  host.__qaFocus = el.dataset.focus;
  const pending = el.classList.contains('qa-pending');
  el.scrollIntoView({block: pending ? 'nearest' : 'start'});
  if (!pending) {
    const c = el.querySelector('.qa-conclusion');
    if (c) { c.focus({preventScroll: true}); }
  }
}
if (typeof watch === 'function') { watch('value', goToFocus); }
host.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-action]');
  if (!b || b.disabled) { return; }
  const action = b.dataset.action;
  if (action === 'hint') {
    const box = document.querySelector('#qa-question textarea');
    if (box) { box.placeholder = '请回答：' + (b.dataset.q || ''); box.focus(); }
    return;
  }
  trigger('click', {action: action, question: b.dataset.q || '', turn: b.dataset.turn || '',
                    rating: b.dataset.rating || '', reason: b.dataset.reason || ''});
});
"""

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

EXPORT_JS = """
(text) => {
  if (!text) { return []; }
  const blob = new Blob(['\\ufeff' + text], {type: 'text/plain;charset=utf-8'});
  const a = document.createElement('a');
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  a.href = URL.createObjectURL(blob);
  a.download = `乌海人才政策助手-问答记录-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}.txt`;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  const b = document.querySelector('#qa-export'); if (b) { b.dataset.exported = '1'; }
  return [];
}
"""

PRINT_JS = """
() => {
  const opened = [];
  document.querySelectorAll('#qa-conv details:not([open])').forEach((d) => { d.open = true; opened.push(d); });
  document.documentElement.classList.add('qa-printing');
  setTimeout(() => {
    window.print();
    document.documentElement.classList.remove('qa-printing');
    opened.forEach((d) => { d.open = false; });
  }, 50);
  return [];
}
"""


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M")


def _stored(session_id: str | None, turns: list[dict]) -> dict:
    return {"v": 1, "session": session_id, "turns": stored_turns(turns)}


def build_chat(services: Services, tool_titles: dict[str, str], field_labels: dict[str, dict[str, str]],
               staff: gr.Checkbox) -> dict[str, Any]:
    """Lay out the chat page inside the current Blocks context; returns its stateful components."""
    turns_state = gr.State([])
    session = gr.State(None)
    pending = gr.State(None)
    stored = gr.BrowserState({"v": 1, "session": None, "turns": []}, storage_key=STORAGE_KEY, secret=STORAGE_SECRET)

    conv = gr.HTML(conversation_html([]), elem_id="qa-conv", js_on_load=CONV_JS, label="对话")
    with gr.Row(equal_height=True, elem_id="qa-inputbar"):
        question = gr.Textbox(label="您的问题", show_label=False, placeholder=PLACEHOLDER, lines=1, max_lines=6,
                              elem_id="qa-question", scale=8, min_width=160, submit_btn=False, container=False,
                              autofocus=False)
        send = gr.Button("发送", variant="primary", scale=1, min_width=72, elem_id="qa-send")
    with gr.Row(elem_id="qa-tools"):
        copy = gr.Button("复制最新回答", size="md", elem_id="qa-copy", min_width=120)
        print_btn = gr.Button("打印本次问答", size="md", elem_id="qa-print", min_width=120)
        export = gr.Button("导出本次问答", size="md", elem_id="qa-export", min_width=120)
        clear = gr.Button("清空对话", size="md", elem_id="qa-clear", min_width=100)
    with gr.Accordion("更多选项：政策基准日期、使用提示", open=False, elem_id="qa-options"):
        as_of = gr.Textbox(label="政策基准日期（按哪一天判断政策是否仍在执行期内）", placeholder="YYYY-MM-DD，留空为今天",
                           elem_id="qa-asof")
        gr.Markdown(
            "- 直接用自己的话提问，可以连续追问。\n"
            "- 每个回答先给结论；点开“计算过程”“依据”可看条文原文。\n"
            "- 黄色框是到期等提示，请留意。\n"
            "- 对话只保存在您自己的浏览器里；“清空对话”会删除它。\n"
            "- 本助手离线运行，回答仅供参考，以正式文件为准。",
            elem_classes=["qa-tips"], label="使用提示",
        )
    # the copy/export buttons run in the browser, so their text lives in (hidden) frontend components
    last_answer = gr.Textbox("", visible=False, elem_id="qa-last-answer", label="最新回答")
    export_text = gr.Textbox("", visible=False, elem_id="qa-export-text", label="本次问答")

    def render(turns: list[dict], staff_on: bool, **kwargs) -> str:
        return conversation_html(turns, staff=bool(staff_on), tool_titles=tool_titles, field_labels=field_labels, **kwargs)

    # 1. the question shows at once; 发送 waits for the answer
    def start(text: str | None, turns: list[dict] | None, staff_on: bool):
        text = (text or "").strip()
        if not text:
            return (gr.skip(), gr.update(value="", placeholder="请先输入您的问题"), gr.skip(), None, gr.skip(), gr.skip())
        return (render(turns or [], staff_on, pending=text, focus=uuid.uuid4().hex),
                gr.update(value="", interactive=False), gr.update(interactive=False), text,
                gr.skip(), gr.skip())

    # 2. the answer replaces the bubble; the page scrolls to its top
    def answer(text: str | None, turns: list[dict] | None, session_id: str | None, as_of_text: str | None, staff_on: bool):
        if text is None:
            return (gr.skip(),) * 9
        session_id = session_id or new_session_id()
        contract = services.ask(text, session_id=session_id, as_of=as_of_text)
        as_of_day = _as_of(as_of_text)
        turns = [*(turns or []), new_turn(text, contract, as_of_day, _now())][-MAX_TURNS:]
        return (render(turns, staff_on, focus=uuid.uuid4().hex), turns, _stored(session_id, turns),
                gr.update(interactive=True, placeholder=PLACEHOLDER_NEXT), gr.update(interactive=True),
                None, answer_text(contract), conversation_text(turns, _now()), session_id)

    def on_click(turns: list[dict] | None, session_id: str | None, staff_on: bool, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        action = str(data.get("action") or "")
        turns = list(turns or [])
        if action == "ask":
            return start(str(data.get("question") or ""), turns, staff_on)
        if action not in ("vote", "reason"):
            return (gr.skip(),) * 6
        turn_id = str(data.get("turn") or "")
        index = next((i for i, t in enumerate(turns) if t.get("id") == turn_id), None)
        if index is None:
            return (gr.skip(),) * 6
        turn = dict(turns[index])
        if action == "vote":
            rating = str(data.get("rating") or "")
            if rating not in ("up", "down"):
                return (gr.skip(),) * 6
            turn.update(vote=rating, reason=None)
        else:
            reason = str(data.get("reason") or "")
            if reason not in REASONS or turn.get("vote") != "down":
                return (gr.skip(),) * 6
            turn["reason"] = reason
        turn["vote_error"] = services.record_feedback(rating=turn["vote"], answer_id=turn["id"], question=turn["question"],
                                                      contract=turn["contract"], as_of=turn.get("as_of"),
                                                      reason=turn.get("reason"), session_id=session_id)
        turns[index] = turn
        return (render(turns, staff_on), gr.skip(), gr.skip(), None, turns, _stored(session_id, turns))

    def restore(saved: Any, staff_on: bool, request: gr.Request):
        """After a (re)load: the conversation and session the browser kept."""
        saved = saved if isinstance(saved, dict) else {}
        turns = restore_turns(saved.get("turns"))
        session_id = saved.get("session")
        if not isinstance(session_id, str) or session_id_problem(session_id) or not session_id:
            session_id = new_session_id()
        if not turns:  # nothing to bring back: leave the page alone (a question sent meanwhile keeps its bubble)
            return (gr.skip(),) * 5  # the first answer starts a session
        staff_on = staff_on or _staff_requested(request)
        return (render(turns, staff_on), turns, session_id, answer_text(turns[-1]["contract"]),
                conversation_text(turns, _now()))

    def clear_all():
        session_id = new_session_id()
        return (conversation_html([]), [], _stored(session_id, []), gr.update(value="", placeholder=PLACEHOLDER, interactive=True),
                gr.update(interactive=True), None, "", "", session_id)

    def rerender(turns: list[dict] | None, staff_on: bool):
        return render(turns or [], staff_on)

    start_outputs = [conv, question, send, pending, turns_state, stored]
    answer_inputs = [pending, turns_state, session, as_of, staff]
    answer_outputs = [conv, turns_state, stored, question, send, pending, last_answer, export_text, session]
    answering = {"concurrency_id": "assistant", "api_visibility": "private", "show_progress": "hidden"}
    quick = {"api_visibility": "private", "queue": False, "show_progress": "hidden"}

    for trigger in (question.submit, send.click):
        trigger(start, [question, turns_state, staff], start_outputs, **quick).then(answer, answer_inputs, answer_outputs, **answering)
    conv.click(on_click, [turns_state, session, staff], start_outputs, **quick).then(answer, answer_inputs, answer_outputs,
                                                                                    **answering)
    clear.click(clear_all, None, answer_outputs, **quick)
    browser_only = {"api_visibility": "private", "show_progress": "hidden"}
    copy.click(None, [last_answer], None, js=COPY_JS, **browser_only)
    export.click(None, [export_text], None, js=EXPORT_JS, **browser_only)
    print_btn.click(None, None, None, js=PRINT_JS, **browser_only)
    staff.change(rerender, [turns_state, staff], [conv], **quick)
    return {"conv": conv, "question": question, "session": session, "turns": turns_state, "stored": stored,
            "restore": (restore, [stored, staff], [conv, turns_state, session, last_answer, export_text])}


def _as_of(text: str | None) -> str | None:
    from eligibility_tools.dates import parse_as_of

    try:
        day = parse_as_of(text)
    except ValueError:
        return None
    return (day or date.today()).isoformat()


def _staff_requested(request: gr.Request | None) -> bool:
    try:
        return bool(request) and request.query_params.get("staff") == "1"
    except Exception:
        return False

"""The running app: the `/ask` API, the web limits, a real browser at phone and desktop sizes (Debian's
Chromium driven by Playwright's Python package — never a downloaded browser), and 20 concurrent sessions.

Every page is checked as a citizen sees it (tests/ui/pagecheck.py): no developer words, Chinese screen-reader
labels, tap targets of at least 44 px, no horizontal scroll, and not one request to another host.
Screenshots of each page at both sizes are written to tests/artifacts/ (committed; see its README).
All servers bind 127.0.0.1 on a free port and are stopped by the fixtures in conftest.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.ui.conftest import ARTIFACTS, REPO, client_for
from tests.ui.pagecheck import in_view, is_local, problems

pytestmark = pytest.mark.integration

BAD_INPUTS = {"empty": "", "huge_paste": "乌海人才政策" * 834, "emoji_only": "😀🎉👍"}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
MARKDOWN_IMAGE_QUESTION = "![](http://10.9.9.9/x.png) 技能大赛金奖奖金多少？"


# ---------------------------------------------------------------- API and web limits


class TestAskApi:
    def test_run_ask_returns_the_answer_contract_with_citations(self, real_app_url):
        client = client_for(real_app_url)
        try:
            out = client.predict("技能大赛金奖奖金多少？", api_name="/ask")
        finally:
            client.close()
        assert isinstance(out, dict)
        assert out["status"] == "answered"
        assert "1万元" in out["answer"]
        assert "skills-contest/a18" in [c["clause_id"] for c in out["citations"]]
        a18 = next(c for c in out["citations"] if c["clause_id"] == "skills-contest/a18")
        assert a18["label"].endswith("第十八条") and "1万元" in a18["text"] and a18["document"]
        assert set(out) >= {"status", "answer", "citations", "tool_calls", "warnings", "follow_up_questions", "elapsed_ms"}

    def test_run_ask_with_session_and_as_of(self, real_app_url):
        client = client_for(real_app_url)
        try:
            out = client.predict(question="硕士研究生首次聘用专业技术岗位可以聘几级？", session_id="api-test-1",
                                 as_of="2025-06-01", api_name="/ask")
            bad_date = client.predict(question="硕士首次聘用几级？", as_of="明年", api_name="/ask")
        finally:
            client.close()
        assert out["status"] in ("answered", "needs_more_info")
        assert "十一级" in out["answer"]
        assert "initial_post_grade" in [t["name"] for t in out["tool_calls"]]
        assert bad_date["status"] == "error" and "YYYY-MM-DD" in bad_date["answer"]

    @pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
    def test_run_bad_input_gets_a_chinese_error_and_the_app_keeps_serving(self, real_app_url, kind):
        client = client_for(real_app_url)
        try:
            bad = client.predict(BAD_INPUTS[kind], api_name="/ask")
            good = client.predict("技能大赛金奖奖金多少？", api_name="/ask")
        finally:
            client.close()
        assert bad["status"] == "error"
        assert re.search(r"[\u4e00-\u9fff]", bad["answer"]) and bad["citations"] == []
        assert good["status"] == "answered" and good["citations"]

    def test_run_session_id_longer_than_64_characters_is_refused_in_chinese(self, real_app_url):
        client = client_for(real_app_url)
        try:
            long_id = client.predict(question="技能大赛金奖奖金多少？", session_id="s" * 65, api_name="/ask")
            ok_id = client.predict(question="技能大赛金奖奖金多少？", session_id="s" * 64, api_name="/ask")
        finally:
            client.close()
        assert long_id["status"] == "error" and "会话编号过长" in long_id["answer"] and "64" in long_id["answer"]
        assert ok_id["status"] == "answered"


def _http(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


class TestWebLimits:
    def test_run_page_has_a_csp_that_allows_no_outside_origin(self, real_app_url):
        status, headers, _ = _http(real_app_url)
        assert status == 200
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "connect-src 'self'" in csp and "img-src 'self' data: blob:" in csp
        assert "http" not in csp and "*" not in csp  # no outside origin, no wildcard

    def test_run_uploads_are_refused(self, real_app_url):
        boundary = "----qa"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.bin\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + b"0" * 200_000 + f"\r\n--{boundary}--\r\n".encode()
        status, _, payload = _http(real_app_url + "gradio_api/upload", "POST", body,
                                   {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status == 403 and "不接受文件上传" in payload.decode("utf-8")

    @pytest.mark.parametrize("path", ["gradio_api/call/nope", "gradio_api/run/nope", "gradio_api/api/nope", "nope"])
    def test_run_unknown_routes_are_404(self, real_app_url, path):
        post = path.startswith("gradio_api")
        status, _, payload = _http(real_app_url + path, "POST" if post else "GET", b'{"data": []}' if post else None,
                                   {"Content-Type": "application/json"})
        assert status == 404, payload[:200]

    def test_run_overlong_clause_link_gets_the_normal_page(self, real_app_url):
        status, headers, _ = _http(real_app_url + "?staff=1&clause=" + "a" * 10_000)
        assert status == 303 and headers["location"].startswith("./?")
        assert "notice=clause-too-long" in headers["location"] and "staff=1" in headers["location"]
        status, _, page = _http(real_app_url + headers["location"][2:])
        assert status == 200 and b"gradio_config" in page


# ---------------------------------------------------------------- browser


class Screen:
    """A browser page at one size that records every request it makes and every console error."""

    def __init__(self, browser, size: str, **context):
        self.size = size
        self.context = browser.new_context(locale="zh-CN", viewport=SIZES[size], accept_downloads=True, **context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("#qa-question textarea")
        self.page.wait_for_timeout(300)  # the page's load events (restore, ?staff) have run

    def shot(self, name: str, full_page: bool = False) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"ui-{name}-{self.size}.png"), full_page=full_page)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not is_local(u)]

    def close(self) -> None:
        self.context.close()


def ask_in_ui(page, question: str) -> None:
    before = page.locator("#qa-conv .qa-turn:not(.qa-pending)").count()
    page.fill("#qa-question textarea", question)
    page.click("#qa-send")
    page.wait_for_function(f"document.querySelectorAll('#qa-conv .qa-turn:not(.qa-pending)').length > {before}")
    page.wait_for_timeout(200)  # the scroll to the new answer


def last_answer(page):
    return page.locator("#qa-conv .qa-turn:not(.qa-pending)").last


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(300)


def choose(page, dropdown_input, option: str) -> None:
    dropdown_input.click()
    page.get_by_role("option", name=option, exact=True).click()


def _export(fmt: str, db) -> str:
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "feedback", "export", "--format", fmt, "--db", str(db)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("size", list(SIZES))
class TestCitizenBrowser:
    def test_run_answer_card_feedback_and_reload(self, real_app_url, real_feedback_db, browser, size):
        screen = Screen(browser, size)
        page = screen.page
        try:
            screen.open(real_app_url)
            assert problems(page, "问答首页") == []
            screen.shot("chat-start")

            ask_in_ui(page, "技能大赛金奖奖金多少？")
            turn = last_answer(page)
            conclusion = turn.locator(".qa-conclusion")
            assert re.search(r"10000元|1万元", conclusion.inner_text())
            assert in_view(page, "#qa-conv .qa-turn:not(.qa-pending) .qa-conclusion")["inView"]
            assert turn.locator("details.qa-sec summary", has_text="依据").count() == 1
            assert turn.locator(".qa-src").count() <= 3
            screen.shot("chat-answer")

            ask_in_ui(page, "那银奖呢？")  # a follow-up: its conclusion, not the earlier one, is what the reader sees
            assert in_view(page, "#qa-conv .qa-turn:not(.qa-pending) .qa-conclusion")["inView"]
            assert re.search(r"8000元|0\.8万元", last_answer(page).locator(".qa-conclusion").inner_text())

            # the sections open; the citizen view stays free of developer words
            for summary in last_answer(page).locator("details.qa-sec > summary").all():
                summary.click()
            page.wait_for_timeout(200)
            assert last_answer(page).locator(".qa-quote").count() >= 1
            assert problems(page, "展开的回答") == []
            screen.shot("chat-answer-open", full_page=True)

            # 👎 with a reason, stored and exported
            last_answer(page).locator("button.qa-vote-down").click()
            page.wait_for_selector("#qa-conv .qa-turn:last-child button.qa-reason")
            last_answer(page).locator("button.qa-reason", has_text="数字不对").click()
            page.wait_for_selector("#qa-conv .qa-turn:last-child .qa-feedback-note:has-text('数字不对')")
            assert problems(page, "评价之后") == []
            rows = [json.loads(line) for line in _export("jsonl", real_feedback_db).splitlines()]
            mine = [r for r in rows if r["question"] == "那银奖呢？" and r["reason"] == "数字不对"]
            assert mine and mine[-1]["rating"] == "down" and mine[-1]["as_of"]
            assert mine[-1]["contract"]["status"] == "answered" and mine[-1]["contract"]["citations"]
            assert "那银奖呢？" in _export("csv", real_feedback_db)

            # the conversation survives a reload, votes included
            page.reload()
            page.wait_for_selector("#qa-conv .qa-turn")
            questions = page.locator("#qa-conv .qa-q-text").all_inner_texts()
            assert questions == ["技能大赛金奖奖金多少？", "那银奖呢？"]
            assert "数字不对" in last_answer(page).locator(".qa-feedback-note").inner_text()
            assert problems(page, "重新加载后") == []
            screen.shot("chat-after-reload")
            assert screen.outside_requests() == []
        finally:
            screen.close()

    def test_run_calculator_shows_the_partial_amount_by_chinese_labels(self, real_app_url, browser, size):
        screen = Screen(browser, size)
        page = screen.page
        try:
            screen.open(real_app_url)
            open_tab(page, "政策计算器")
            page.wait_for_selector("#calc-form-initial_post_grade")  # opens on a short, common tool
            assert problems(page, "计算器首页") == []

            choose(page, page.locator("#calc-tool input"), "培训与学徒补贴｜企业新型学徒制培训补贴")
            form = page.locator("#calc-form-apprenticeship_subsidy")
            form.wait_for(state="visible")
            form.locator("#calc-apprentices textarea, #calc-apprentices input").first.fill("3")
            form.locator("#calc-years textarea, #calc-years input").first.fill("2")
            form.locator("#calc-contract_and_insurance input[value='是']").check()
            form.locator("#calc-run-apprenticeship_subsidy").click()
            page.wait_for_selector("#calc-result .qa-result")
            page.wait_for_timeout(300)
            result = page.locator("#calc-result").inner_text()
            assert "不确定" not in result.split("\n")[0]
            assert re.search(r"至少24000元|24,000元", result) and "3人×2年×4000元" in result
            assert "可预支金额（不超过）" in result and "12,000元" in result  # a field by its Chinese label
            summary = in_view(page, "#calc-result .qa-outcome")
            assert summary and summary["top"] >= 0 and summary["top"] < page.viewport_size["height"]
            assert problems(page, "计算结果") == []
            screen.shot("calculator", full_page=size == "desktop")
            assert screen.outside_requests() == []
        finally:
            screen.close()

    def test_run_clause_browser_search_opens_the_clause_in_view(self, real_app_url, browser, size):
        screen = Screen(browser, size)
        page = screen.page
        try:
            screen.open(real_app_url)
            open_tab(page, "条款浏览")
            search_box = page.locator("#browse-query textarea")
            tree = page.locator("#browse-tree")
            assert search_box.bounding_box()["y"] < tree.bounding_box()["y"]  # search above the tree
            search_box.fill("技能大赛 奖金")
            page.click("#browse-search")
            page.wait_for_selector("#browse-results .qa-hit")
            assert page.locator("#browse-results mark").count() > 0
            hit = page.locator("#browse-results .qa-hit a[data-clause]").first
            hit_id = hit.get_attribute("data-clause")
            hit.click()
            page.wait_for_selector(f"#browse-detail .qa-clause[data-clause='{hit_id}']")
            page.wait_for_timeout(300)
            label = in_view(page, "#browse-detail .qa-clause-label")
            assert label and label["top"] >= 0 and label["top"] < page.viewport_size["height"]
            assert problems(page, "条款浏览") == []
            screen.shot("browser")
            assert screen.outside_requests() == []
        finally:
            screen.close()

    def test_run_markdown_image_in_a_question_is_plain_text_and_loads_nothing(self, real_app_url, browser, size):
        screen = Screen(browser, size)
        page = screen.page
        try:
            screen.open(real_app_url)
            ask_in_ui(page, MARKDOWN_IMAGE_QUESTION)
            assert last_answer(page).locator(".qa-q-text").inner_text() == MARKDOWN_IMAGE_QUESTION
            assert page.locator("img[src*='10.9.9.9']").count() == 0
            page.wait_for_timeout(500)
            assert not [u for u in screen.requests if "10.9.9.9" in u]
            assert screen.outside_requests() == []
        finally:
            screen.close()


class TestStaffMode:
    def test_run_staff_mode_shows_tools_ids_and_json_citizen_mode_does_not(self, real_app_url, browser):
        screen = Screen(browser, "desktop")
        page = screen.page
        try:
            screen.open(real_app_url + "?staff=1")
            page.wait_for_function("document.documentElement.classList.contains('qa-staff-on')")
            ask_in_ui(page, "技能大赛金奖奖金多少？")
            staff_box = last_answer(page).locator("details.qa-staffbox")
            staff_box.locator("summary").first.click()
            text = staff_box.inner_text()
            assert "skills_contest_award" in text and "skills-contest/a18" in text
            assert page.locator("footer").get_by_text("通过 API 使用").first.is_visible()  # gradio's API page link
            screen.shot("chat-staff-mode", full_page=True)

            page.locator("#qa-staff-toggle input").uncheck()  # back to citizen mode
            page.wait_for_function("!document.documentElement.classList.contains('qa-staff-on')")
            page.wait_for_timeout(300)
            assert problems(page, "关闭工作人员模式后") == []
        finally:
            screen.close()


class TestFakeAppBrowser:
    """Behaviour the real answers do not reliably trigger: the pending bubble, warnings, chips, copy, export, clear."""

    def test_run_question_shows_at_once_and_send_waits(self, fake_app_url, browser):
        screen = Screen(browser, "phone")
        page = screen.page
        try:
            screen.open(fake_app_url)
            page.fill("#qa-question textarea", "慢一点：技能大赛金奖奖金多少？")
            page.click("#qa-send")
            pending = page.locator("#qa-conv .qa-pending")
            pending.wait_for(timeout=6000)  # well before the fake's 8 s answer
            assert "正在查找条款" in pending.inner_text() and "慢一点：技能大赛金奖奖金多少？" in pending.inner_text()
            assert page.locator("#qa-send").is_disabled()
            assert in_view(page, "#qa-conv .qa-pending")["inView"]
            page.wait_for_timeout(1200)  # long enough for gradio's timer / queue text ("queue: 1/1 | 0.1/0.0s") to show
            assert problems(page, "回答中") == []  # its progress texts are English: none may show
            screen.shot("chat-pending")
            page.wait_for_selector("#qa-conv .qa-turn:not(.qa-pending) .qa-conclusion")
            assert page.locator("#qa-send").is_enabled()
            assert in_view(page, "#qa-conv .qa-turn:not(.qa-pending) .qa-conclusion")["inView"]
            # the safety net: were gradio to show its (English) progress texts anyway, the stylesheet hides them
            page.evaluate("""() => { for (const [cls, text] of [['progress-text', 'queue: 1/1 | 0.1/0.0s'],
                                                               ['meta-text', 'processing | 0.1s'], ['eta-bar', 'Loading...']]) {
                const el = document.createElement('div'); el.className = cls + ' qa-test-probe'; el.textContent = text;
                document.querySelector('#qa-conv').appendChild(el); } }""")
            assert problems(page, "gradio 的进度文字") == []
            page.evaluate("document.querySelectorAll('.qa-test-probe').forEach((el) => el.remove())")
        finally:
            screen.close()

    def test_run_warning_once_chips_copy_export_and_clear(self, fake_app_url, browser):
        screen = Screen(browser, "desktop")
        screen.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=fake_app_url.rstrip("/"))
        page = screen.page
        try:
            screen.open(fake_app_url)
            page.locator("#qa-options").get_by_text("更多选项").click()
            page.fill("#qa-asof textarea, #qa-asof input", "2026-02-01")
            ask_in_ui(page, "技能大赛金奖奖金多少？")
            assert last_answer(page).locator(".qa-warning").count() == 1
            assert last_answer(page).locator(".qa-conclusion").inner_text() == "全市技能大赛金奖奖金1万元。"

            page.click("#qa-copy")
            page.wait_for_function("document.querySelector('#qa-copy').dataset.copied === '1'")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied.startswith("结论：全市技能大赛金奖奖金1万元。") and "第十八条" in copied

            with page.expect_download() as download:
                page.click("#qa-export")
            path = download.value.path()
            record = path.read_text(encoding="utf-8-sig")
            assert "技能大赛金奖奖金多少？" in record and "结论：全市技能大赛金奖奖金1万元。" in record and "2026-02-01" in record

            page.click(".qa-chip[data-q='银奖奖金多少？']")  # a suggested question is sent
            page.wait_for_function("document.querySelectorAll('#qa-conv .qa-turn:not(.qa-pending)').length >= 2")
            ask_in_ui(page, "我能申报中级职称吗？")  # needs_more_info: the chip asks the user, it does not send
            page.click(".qa-chip[data-q='请问您的最高学历是？']")
            page.wait_for_function("document.querySelector('#qa-question textarea').placeholder.includes('最高学历')")
            assert page.locator("#qa-conv .qa-turn:not(.qa-pending)").count() == 3

            page.click("#qa-clear")
            page.wait_for_function("document.querySelectorAll('#qa-conv .qa-turn').length === 0")
            page.reload()
            page.wait_for_selector("#qa-conv .qa-empty")
            assert page.locator("#qa-conv .qa-turn").count() == 0  # cleared means gone after a reload too
            assert screen.outside_requests() == []
        finally:
            screen.close()

    def test_run_print_opens_every_section_and_prints_the_conversation(self, fake_app_url, browser):
        screen = Screen(browser, "phone")
        page = screen.page
        page.add_init_script("window.__printed = []; window.print = () => { window.__printed.push("
                             "document.querySelectorAll('#qa-conv details:not([open])').length); };")
        try:
            screen.open(fake_app_url)
            ask_in_ui(page, "技能大赛金奖奖金多少？")
            assert page.locator("#qa-conv details:not([open])").count() > 0  # sections start collapsed
            page.click("#qa-print")
            page.wait_for_function("window.__printed.length === 1")
            assert page.evaluate("window.__printed") == [0]  # printed with 计算过程 / 依据 / 提示 open
            page.wait_for_timeout(200)
            assert page.locator("#qa-conv details:not([open])").count() > 0  # and folded again afterwards
            page.evaluate("document.querySelectorAll('#qa-conv details').forEach((d) => { d.open = true; })")  # as printed
            page.emulate_media(media="print")
            assert page.locator("#qa-conv .qa-conclusion").last.is_visible()
            assert not page.locator("#qa-inputbar").is_visible()  # the printout is the conversation, not the controls
            for control in ("#qa-tabs [role=tab]", "#qa-print", "#qa-send", "#qa-header"):
                assert not page.locator(control).first.is_visible(), control
            screen.shot("chat-print", full_page=True)
        finally:
            screen.close()

    def test_run_overlong_clause_link_opens_the_normal_page_with_a_notice(self, fake_app_url, browser):
        screen = Screen(browser, "phone")
        page = screen.page
        try:
            screen.open(fake_app_url + "?clause=" + "a" * 10_000)
            notice = page.locator("#qa-notice-bar .qa-notice")
            notice.wait_for()
            assert "条款编号过长" in notice.inner_text()
            assert "notice=clause-too-long" in page.url and "a" * 300 not in page.url
            assert problems(page, "过长的条款链接") == []
            screen.shot("long-clause-link")
        finally:
            screen.close()

    def test_run_feedback_is_stored_masked(self, fake_app_url, fake_feedback_db, browser):
        from assistant.feedback import FeedbackStore

        screen = Screen(browser, "phone")
        page = screen.page
        try:
            screen.open(fake_app_url)
            ask_in_ui(page, "我的手机13912345678，技能大赛金奖奖金多少？")
            last_answer(page).locator("button.qa-vote-up").click()
            page.wait_for_selector("#qa-conv .qa-turn:last-child .qa-feedback-note:has-text('有帮助')")
            rows = FeedbackStore(fake_feedback_db).rows()
            row = next(r for r in rows if "技能大赛金奖奖金多少" in r["question"])
            assert row["rating"] == "up" and "13912345678" not in json.dumps(row, ensure_ascii=False)
            assert "139****5678" in row["question"]
        finally:
            screen.close()


class TestLoad:
    def test_run_20_concurrent_sessions_5_questions_each(self, real_app_url):
        from ui.load import run_load_test

        report = run_load_test(real_app_url, sessions=20, per_session=5, timeout_s=300)
        print(f"\nload: {report['requests']} requests from {report['sessions']} sessions, "
              f"p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms, max {report['max_ms']} ms, "
              f"{report['throughput_rps']} req/s, wall {report['wall_s']} s, statuses {report['statuses']}")
        assert report["errors"] == 0, report["failures"]
        assert report["without_citations"] == 0, report["failures"]
        assert sum(report["statuses"].values()) == 100

"""Personal data never reaches the question log, in any of the ways people write it, and a question cannot forge log lines."""

from __future__ import annotations

import json
import logging

import pytest

from assistant.config import AssistantSettings
from assistant.privacy import mask_pii
from assistant.service import Assistant
from assistant.service import mask_pii as service_mask_pii
from tests.assistant.conftest import AS_OF

# (kind, as written, masked) — the secret digits must be gone, the layout kept
PII_FORMATS = [
    ("身份证 18 位", "身份证150302199001011234", "身份证150***********1234"),
    ("身份证 18 位，校验位 X", "身份证15030219900101123X", "身份证150***********123X"),
    ("身份证 15 位", "身份证150302900101123", "身份证150********1123"),
    ("身份证 带空格", "身份证 150302 19900101 1234", "身份证 150*** ******** 1234"),
    ("身份证 带短横", "身份证150302-1990-0101-1234", "身份证150***-****-****-1234"),
    ("身份证 全角数字", "身份证１５０３０２１９９００１０１１２３４", "身份证１５０***********１２３４"),
    ("手机", "手机13912345678", "手机139****5678"),
    ("手机 +86", "手机+8613912345678", "手机+86139****5678"),
    ("手机 +86 带空格", "手机+86 139 1234 5678", "手机+86 139 **** 5678"),
    ("手机 86 带短横", "手机86-139-1234-5678", "手机86-139-****-5678"),
    ("手机 短横", "手机139-1234-5678", "手机139-****-5678"),
    ("手机 空格", "手机139 1234 5678", "手机139 **** 5678"),
    ("手机 全角数字", "手机１３９１２３４５６７８", "手机１３９****５６７８"),
    ("手机 全角 +86", "手机＋８６　１３９１２３４５６７８", "手机＋８６　１３９****５６７８"),
    ("座机 区号-号码", "电话0473-2022599", "电话0473-*******"),
    ("座机 括号区号", "电话(0473)2022599", "电话(0473)*******"),
    ("座机 连写", "电话04732022599", "电话0473*******"),
    ("座机 三位区号", "电话010-12345678", "电话010-********"),
    ("邮箱", "邮箱zhang.san@example.com", "邮箱z********@example.com"),
    ("邮箱 全角", "邮箱ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "邮箱ｚ****＠ｅｘａｍｐｌｅ．ｃｏｍ"),
    ("银行卡 连写", "卡号6222021234567890123", "卡号622************0123"),
    ("银行卡 四位一组", "卡号6222 0212 3456 7890", "卡号622* **** **** 7890"),
    ("两个号码挨着", "150302199001011234 13912345678", "150***********1234 139****5678"),
    ("身份证 小写 x", "身份证15030219900101123x", "身份证150***********123x"),
    ("身份证 6-12 分组", "身份证 150302 199001011234", "身份证 150*** ********1234"),
    ("身份证 15 位带空格", "身份证150302 900101 123", "身份证150*** *****1 123"),
    ("手机 0086", "手机0086 139 1234 5678", "手机0086 139 **** 5678"),
    ("手机 +86 短横", "手机+86-139-1234-5678", "手机+86-139-****-5678"),
    ("座机 全角括号", "电话（0473）2022599", "电话（0473）*******"),
    ("座机 括号后空格", "电话(0473) 2022599", "电话(0473) *******"),
    ("座机 空格", "电话0473 2022599", "电话0473 *******"),
    ("座机 全角短横", "电话0473－2022599", "电话0473－*******"),
    ("银行卡 19 位分组", "卡号6222 0212 3456 7890 123", "卡号622* **** **** ***0 123"),
    ("银行卡 6+13", "卡号622202 1234567890123", "卡号622*** *********0123"),
    ("银行卡 短横", "卡号6222-0212-3456-7890", "卡号622*-****-****-7890"),
    ("日期后跟手机", "2026-11-30 13912345678", "2026-11-30 139****5678"),
    ("邮箱 子域名", "Email: Zhang_San+x@mail.example.com.cn", "Email: Z**********@mail.example.com.cn"),
]


@pytest.mark.parametrize(("kind", "text", "masked"), PII_FORMATS, ids=[p[0] for p in PII_FORMATS])
def test_mask_pii_formats(kind, text, masked):
    assert mask_pii(text) == masked
    assert service_mask_pii(text) == masked  # the service logs with the same function


@pytest.mark.parametrize("text", [
    "大专毕业工作满3年能认定助理级吗？",
    "补贴5000000元，截至2025年12月31日，每人每年7800元",
    "乌达区人社局电话3666221",  # an office number the compilation lists, no area code
    "2023年1月招了2名退役士兵",
    "补贴100000元，共计12000000000元，合1200000000000.5元",  # amounts, however long
    "2023年", "2026-11-30", "截至2026年11月30日", "2023.11.30", "20231130", "2023年1月1日至2025年12月31日",
    "第十八条", "post-title/s7/p3", "内发改费字〔2015〕1552号", "乌政办发〔2023〕18号",
    "电话3666221、3666222", "补贴1200元/人，2,000,000元，1000万元，面积1000平方米",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",  # a list of small numbers is no card or ID
])
def test_mask_pii_leaves_policy_numbers_alone(text):
    assert mask_pii(text) == text


def _log_lines(tmp_path, fake_retriever, *questions, session_id=None):
    log = tmp_path / "q.log"
    a = Assistant(AssistantSettings(log_questions=True, log_path=str(log)), retriever=fake_retriever)
    for q in questions:
        a.ask(q, as_of=AS_OF, session_id=session_id)
    return log.read_text(encoding="utf-8").split("\n")[:-1]


@pytest.mark.parametrize("question", [
    "大专能评助理吗\n2026-01-01T00:00:00\tadmin\t伪造的一行",
    "大专能评助理吗\r2026-01-01T00:00:00\tadmin\t伪造的一行",
    "大专能评助理吗\u2028伪造的一行\u2029再一行\x85又一行",
    '大专能评助理吗", "session_id": "admin',
    "大专能评助理吗\t\x0b\x0c\x1c\x1d\x1e伪造",
    "大专能评助理吗\ud800伪造",  # a lone surrogate (JSON input may carry one) must not break the log write
])
def test_question_cannot_forge_log_lines_or_fields(tmp_path, fake_retriever, question):
    lines = _log_lines(tmp_path, fake_retriever, question, session_id="s1")
    assert len(lines) == 1 and len(lines[0].splitlines()) == 1
    record = json.loads(lines[0])
    assert set(record) == {"time", "session_id", "question"}
    assert record["question"] == question and record["session_id"] == "s1"


def test_log_is_one_json_object_per_question_and_masked(tmp_path, fake_retriever):
    lines = _log_lines(tmp_path, fake_retriever, "我手机139-1234-5678，大专能评助理吗", "身份证150302 19900101 1234，本科呢")
    records = [json.loads(line) for line in lines]
    assert [r["question"] for r in records] == ["我手机139-****-5678，大专能评助理吗", "身份证150*** ******** 1234，本科呢"]
    assert records[0]["session_id"] is None


def test_log_to_logger_is_one_json_record(fake_retriever, caplog):
    a = Assistant(AssistantSettings(log_questions=True), retriever=fake_retriever)
    with caplog.at_level(logging.INFO, logger="policy_qa.assistant"):
        a.ask("邮箱zhang@example.com\n伪造", as_of=AS_OF)
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("question ")]
    assert len(logged) == 1 and "\n" not in logged[0]
    assert json.loads(logged[0][len("question "):])["question"] == "邮箱z****@example.com\n伪造"

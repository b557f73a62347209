"""Slot extraction from colloquial Chinese: 学历, 单位, 地点, 职称层级, numbers with their roles.

Deterministic and table-driven: the vocabularies are in `lexicon.yaml`; the roles of numbers ("职工40人" is
staff, "带动就业35人" is jobs, "满2年" is years of work) are the `QUANTITY_RULES` table below. Numbers may be
Arabic or Chinese (两年, 满三年, 十二个人, 1万, 0.8万) and are parsed with `corpus.numerals`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.numbers import parse_number

LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.yaml"

_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+|半)"


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str  # normalised: 年 月 岁 人 户 只 亩 平方米 元 % 分 项 次 级 天 个 课时 岗位
    start: int
    end: int
    before: str  # up to 12 characters before the number
    after: str  # up to 8 characters of its clause segment after the unit
    slot: str | None = None
    segment: int = 0  # index of the clause segment (assistant.quantities.segments): items of one sentence keep apart
    relative: str | None = None  # "more" (比规定多干了半年, 多出15课时) / "less" (还差4个月): not a total
    approx: str | None = None  # "more" (3年多, 满3年: at least) / "less" (不到1年)


# (slot, units, regex on the text before the number, regex on the text after the unit); first match wins.
QUANTITY_RULES: list[tuple[str, tuple[str, ...], str | None, str | None]] = [
    ("calendar_year", ("年",), None, None),  # resolved by value >= 1900 below
    ("retirement_age", ("岁",), r"退休年龄[是为]?$", None),
    ("years_to_retirement", ("年",), r"(距|离|到)[^，。]{0,8}退休[^，。]{0,6}(还有|还差|差|剩|只有|就)?$", None),
    ("years_to_retirement", ("年",), r"(还有|还差|只有|再过|再干)$", r"^(多)?(就|才)?(到|满|要)?(法定)?退休"),
    ("age", ("岁",), None, None),
    ("train_years", ("年",), r"(培养|培训|学徒)[^，。,]{0,6}$", None),
    ("contract_years", ("年",), r"(签了?|签订了?)$", r"^(的)?(劳动)?合同"),
    ("months_in_new_post", ("月",), r"(调到|转到|转岗|新岗位|档案岗|才).{0,6}$", None),
    ("years_in_new_post", ("年",), r"(新岗位|转岗|调到|转到).{0,6}$", None),
    ("years_operating", ("年",), r"(运营|经营)了?$", None),
    ("years_since_graduation", ("年",), r"(离校|毕业)(了|后|才)?$", None),
    ("months_work", ("月",), None, None),
    ("years_work", ("年",), None, None),
    ("participants", ("人", "名"), None, r"^(选手|参赛选手)?(参赛|参加比赛|参加竞赛)"),
    ("participants", ("人", "名"), r"(参赛|参赛人数|参赛选手)[是为有共]?$", None),
    ("jobs", ("人", "名"), r"(就业|吸纳|带动)[了]?$", None),
    ("staff", ("人", "名"), r"(职工|员工|在职|在册|公司有|单位有|现有|从业人数|从业人员)[了共有是为]*$", None),
    ("staff", ("人", "名", "个"), None, r"^(员工|职工|在职职工|在职人员|工人|雇员)"),  # "40个员工"
    ("disabled", ("人", "名", "个"), r"残疾人$", None),
    ("disabled", ("人", "名", "个"), None, r"^残疾"),
    ("veterans", ("人", "名"), None, r"^(自主就业)?退役"),
    ("apprentices", ("人", "名", "学徒", "个"), None, r"^(新型)?学徒"),
    ("apprentices", ("学徒",), None, None),
    ("hires", ("人", "名"), r"(新招用?|招用|新招了?|招了)$", None),
    ("trainees", ("人", "名", "个"), None, r"^(学员|参训|受训|培训学员)"),
    ("people", ("人", "名"), None, None),
    ("tenants", ("户",), None, None),
    ("tenants", ("家",), r"(入驻|入孵|进驻)[了有]*$", None),
    ("tenants", ("家", "个"), None, r"^(入驻)?(实体|企业|商户|创业实体|市场主体)"),
    ("livestock", ("只",), None, None),
    ("area_mu", ("亩",), None, None),
    ("area_m2", ("平方米",), None, None),
    ("hours", ("课时",), None, None),
    ("posts_total", ("岗位",), None, None),
    ("taxable_income", ("元",), r"所得额[^，。,]{0,4}$", None),
    ("tax_due", ("元",), r"(应纳|应缴|税额|土地使用税)[^，。,]{0,8}$", None),
    ("monthly_sales", ("元",), r"(月销售额|销售额)[是为]?$", None),
    ("amount", ("元",), None, None),
    ("success_rate", ("%",), r"成功率[是为]?$", None),
    ("ratio", ("%",), None, None),
    ("score", ("分",), None, None),
    ("rank", ("名",), r"第$", None),
    ("projects", ("项目",), None, None),
]


@dataclass
class Slots:
    """What the question says. `values` holds the named slots; `quantities` every number found, with its role."""

    values: dict[str, Any] = field(default_factory=dict)
    quantities: list[Quantity] = field(default_factory=list)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def merged_over(self, older: Slots) -> Slots:
        """This turn's slots on top of the previous turn's (multi-turn continuation)."""
        values = {**older.values, **self.values}
        return Slots(values=values, quantities=self.quantities or older.quantities)

    def to_dict(self) -> dict[str, Any]:
        out = {}
        for k, v in self.values.items():
            out[k] = int(v) if isinstance(v, Decimal) and v == v.to_integral_value() else (str(v) if isinstance(v, Decimal) else v)
        return out


@lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, list[str]]]:
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8")) or {}
    return {cat: {str(k): [str(w) for w in words] for k, words in table.items()} for cat, table in data.items()}


def lexicon_matches(text: str, category: str) -> list[tuple[int, str, str]]:
    """All (position, value, word) of a lexicon category in the text; overlapping shorter words are dropped."""
    found: list[tuple[int, int, str, str]] = []
    for value, words in lexicon()[category].items():
        for word in words:
            for m in re.finditer(re.escape(word), text):
                found.append((m.start(), m.end(), value, word))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str, str]] = []
    for f in found:
        if any(k[0] <= f[0] < k[1] and (f[1] - f[0]) <= (k[1] - k[0]) for k in kept):
            continue
        kept = [k for k in kept if not (f[0] <= k[0] and k[1] <= f[1] and (k[1] - k[0]) < (f[1] - f[0]))]
        kept.append(f)
    return [(s, v, w) for s, _, v, w in sorted(kept)]


def _first(text: str, category: str) -> str | None:
    matches = lexicon_matches(text, category)
    return matches[0][1] if matches else None


_WORKPLACE_PRIORITY = ["村（嘎查）", "乡镇", "区", "市直"]
_NEGATED = re.compile(r"(没去过|没有去过|没在|不在|没有在|从没|从未|没到过)[^，。,]{0,3}$")
_POSTS = re.compile(r"([\u4e00-\u9fff（）()至、]{0,14}?岗位)[^，。,？?]{0,10}?(?:共|一共|总共|总数为?|合计|有)?\s*" + _NUM + r"\s*个(?!月|多月|工作日|课时|小时)")
_POSTS_AFTER_GRADES = re.compile(r"([一二三四五六七八九十]+级(?:[和、与至到][一二三四五六七八九十]+级)+)[^，。,？?]{0,6}?(?:共|一共|总共|合计|有)\s*" + _NUM + r"\s*个(?!月|多月|工作日|课时|小时)")
# "专技岗位总数400，…" / "岗位总量200": a post count written without 个, closed by punctuation or the end
_POSTS_BARE = re.compile(r"([\u4e00-\u9fff（）()至、]{0,14}?岗位)(?:总数|总量|数)[是为有共]?\s*(\d+)(?=[，。,；;？?！!\s]|$)")
# a post grade in its context: 十级岗位, 专技十级, 聘在九级, 降到了十级, 竞聘九级 (not 二级教师, 一级建造师)
_POST_GRADE = re.compile(r"(?:(?<=专技)|(?<=专业技术)|(?<=聘在)|(?<=聘到)|(?<=竞聘)|(?<=降到)|(?<=降到了)|(?<=升到)|(?<=回)|(?<=从))?"
                         r"([一二三四五六七八九十]{1,3}|\d{1,2})级(?=岗位|专业技术岗位|专技岗位|降|升|到|[，。,？?吗了的])")
_CURRENT_TITLE = re.compile(r"(现在是|现任|目前是|已经?是|已经?取得了?|取得了|已有|现有|评上了|拿到了|有|我是|本人是|是一名|是个|现为|持有|评了|评过)$")
_MEDAL = re.compile(_NUM + r"\s*(?:个|枚|块|项)?\s*(金奖|银奖|铜奖|金|银|铜|优胜奖|优胜)")
_PARTICIPATION = re.compile(_NUM + r"\s*个?(?:项目|赛项)?[^，。,；;]{0,6}(?:只参赛|仅参赛|参赛没获奖|参赛未获奖|没获奖|未获奖)")
_SUBSET = re.compile(r"其中|里面|里头|当中|中有")
_STUDENT = re.compile(r"学生|在校|院校")
_RANK = re.compile(r"第\s*(?:[-−－﹣]|负)?\s*" + _NUM + r"\s*名")
_RANK_WORD = {"金": "金奖", "金奖": "金奖", "银": "银奖", "银奖": "银奖", "铜": "铜奖", "铜奖": "铜奖", "冠军": "金奖", "亚军": "银奖", "季军": "铜奖",
              "一等奖": "一等奖", "二等奖": "二等奖", "三等奖": "三等奖"}


_POWER = re.compile(r"\d\s*(?:\^|\*\*|[eE]\+?\d)|次方")  # a number written with an exponent (assistant.quantities)
_OLD_UNITS = {"个岗位": "岗位", "个学徒": "学徒", "名学徒": "学徒", "个项目": "项目", "个创业项目": "项目"}


def extract_quantities(text: str) -> list[Quantity]:
    """The question's quantities (read by `assistant.quantities`: 1年8个月, 一年半, 三千人 …) with their slot roles."""
    from assistant.quantities import extract_quantities as typed

    out: list[Quantity] = []
    for tq in typed(text):
        if tq.ordinal or not tq.unit:
            continue
        unit = "年" if tq.unit == "年份" else _OLD_UNITS.get(tq.word, tq.unit)
        if unit == "项目" and tq.word not in _OLD_UNITS:
            unit = "项"
        # the words after a number are read within its clause segment: "2名退役士兵和3名持证人员" keeps each count
        # with its own noun, and a count never takes the noun of the next clause
        before = text[max(0, tq.start - 12):tq.start]  # the cue may sit in the clause before ("调到统计岗，干了5个月")
        after = tq.after[:8]
        q = Quantity(value=tq.value, unit=unit, start=tq.start, end=tq.end, before=before, after=after, segment=tq.segment,
                     relative=tq.relative, approx=tq.approx)
        out.append(_assign(q))
    return out


def rounded(value: Decimal, step: str) -> Decimal:
    """`value` to `step` places; a number too large to round (10^30 months: an absurd input the quantity check names)
    is kept as it is instead of raising."""
    try:
        return value.quantize(Decimal(step))
    except InvalidOperation:
        return value


def _signed(text: str, m: re.Match[str], group: int) -> Decimal | None:
    """The number of a regex group with the sign written before it ("岗位-120个" is -120, never 120)."""
    from assistant.quantities import extract_quantities as typed
    from assistant.quantities import sign_start

    for q in typed(text):  # "岗位10^40个": the group's 40 is the exponent of one number, never the count
        if q.start < m.start(group) < q.end and _POWER.search(q.text):
            return q.value
    n = parse_number(m.group(group))
    if n is not None and sign_start(text, m.start(group)) is not None:
        return -n
    return n


def _assign(q: Quantity) -> Quantity:
    if q.relative:
        return q  # "多出15课时", "还差4个月": a difference, never a total (builders read it from `quantities`)
    for slot, units, before_re, after_re in QUANTITY_RULES:
        if q.unit not in units:
            continue
        if slot == "calendar_year":
            if q.value >= 1900:
                return Quantity(**{**q.__dict__, "slot": slot})
            continue
        if before_re and not re.search(before_re, q.before):
            continue
        if after_re and not re.search(after_re, q.after):
            continue
        return Quantity(**{**q.__dict__, "slot": slot})
    return q


_GENERIC_CONTEST = "全市技能大赛"
_CITY_NAMED = re.compile(r"全市|市里的?技能大赛|市技能大赛")
_INDUSTRY_UNSPECIFIED = re.compile(r"行业(?!一类|二类)[^，。,；;？?]{0,2}?(?:赛|比赛|竞赛|大赛)")


def contest_kind(text: str) -> str | None:
    """Which contest the question is about. 技能大赛 is also everyone's word for any skills contest, so a more specific
    kind named anywhere (行业一类赛, 专项赛, 区级竞赛) wins over it unless 全市 is said; a 行业赛 whose class is not
    said is no kind at all (一类 and 二类 differ), never the 全市技能大赛."""
    kinds = [v for _, v, _ in lexicon_matches(text, "contest_kind")]
    specific = [k for k in kinds if k != _GENERIC_CONTEST]
    if specific and not _CITY_NAMED.search(text):
        return specific[0]
    if _INDUSTRY_UNSPECIFIED.search(text) and not _CITY_NAMED.search(text):
        return None
    return kinds[0] if kinds else None


_HELD_AFTER = re.compile(r"(职称|工程师|教师|医师|会计师)?(后|以后|之后|满|已经|已)")  # "评上中级后满5年"
_ASKED_TITLE = re.compile(r"(评|申报|报|考|晋升|升|认定|申请|评上|拿到|够)[^，。,？?]{0,2}$")


def title_levels(text: str) -> dict[str, str]:
    """The title the asker has and the one asked for. "已是/我是/有 X" is held, "评/申报/报 X" is asked; a level said
    without either is the one asked for, unless another is asked explicitly ("中专，中级职称，能破格评副高吗": 中级 is
    held). Two adjacent words naming one title (中级会计师) count once."""
    named: list[tuple[str, str | None]] = []
    previous_end = -1
    for pos, level, word in lexicon_matches(text, "title_level"):
        before = text[max(0, pos - 6):pos]
        after = text[pos + len(word):pos + len(word) + 6]
        held = _CURRENT_TITLE.search(before) or _HELD_AFTER.match(after)
        key = "current_title" if held else ("target_title" if _ASKED_TITLE.search(before) else None)
        if pos == previous_end and named:
            previous_end = pos + len(word)
            continue
        named.append((level, key))
        previous_end = pos + len(word)
    out: dict[str, str] = {}
    for level, key in named:
        if key is not None:
            out.setdefault(key, level)
    asked_explicitly = "target_title" in out
    for level, key in named:
        if key is None:
            out.setdefault("current_title" if asked_explicitly else "target_title", level)
    return out


def extract_slots(text: str) -> Slots:
    """Named slots and role-tagged quantities of one question."""
    values: dict[str, Any] = {}
    for category in ("education", "unit_type", "district", "incubator_level"):
        value = _first(text, category)
        if value:
            values[category] = value
    kind = contest_kind(text)
    if kind:
        values["contest_kind"] = kind
    # a base type named as such (大学生创业类, 电商孵化基地) wins over a word elsewhere (租在高新区: a place, not a type)
    types = [(pos, v, w) for pos, v, w in lexicon_matches(text, "incubator_type") if not text[pos + len(w):].startswith("区")]
    named = [v for pos, v, w in types if re.match(r"(类|型|孵化|基地|创业园|园区)", text[pos + len(w):])]
    if named or types:
        values["incubator_type"] = (named or [v for _, v, _ in types])[0]
    educations = [v for _, v, _ in lexicon_matches(text, "education")]
    if len(set(educations)) > 1:
        values["educations"] = list(dict.fromkeys(educations))
    ft = _first(text, "full_time")
    if ft:
        values["full_time"] = ft == "true"
    place_hits = [(pos, v) for pos, v, _ in lexicon_matches(text, "workplace_level")
                  if not _NEGATED.search(text[max(0, pos - 8):pos])]
    if place_hits:
        first_pos, first = place_hits[0]
        # "海南区的乡镇卫生院": a more specific place right after the first one refines it
        for pos, level in place_hits[1:]:
            if pos - first_pos <= 6 and _WORKPLACE_PRIORITY.index(level) < _WORKPLACE_PRIORITY.index(first):
                first = level
        values["workplace_level"] = first
        levels = list(dict.fromkeys(v for _, v in place_hits))
        if len(levels) > 1:
            values["workplace_levels"] = levels
    jur = _first(text, "jurisdiction")
    if jur:
        values["jurisdiction"] = jur
    values.update(title_levels(text))

    quantities = extract_quantities(text)
    for q in quantities:
        if q.slot and q.slot not in values:
            values[q.slot] = q.value
    if "age" not in values:
        from assistant.quantities import colloquial_age

        age = colloquial_age(text)  # "俺17了": an age said without 岁
        if age is not None:
            values["age"] = age
    if "months_work" in values and "years_work" not in values:
        values["years_work"] = rounded(values["months_work"] / 12, "0.01")
    if "months_in_new_post" in values and "years_in_new_post" not in values:
        values["years_in_new_post"] = rounded(values["months_in_new_post"] / 12, "0.01")

    for m in _POSTS_AFTER_GRADES.finditer(text):
        n = _signed(text, m, 2)
        if n is not None:
            values.setdefault("posts_total", n)
            values.setdefault("posts_kind", m.group(1))
    for pattern in (_POSTS, _POSTS_BARE):
        for m in pattern.finditer(text):
            n = _signed(text, m, 2)
            if n is not None and "posts_total" not in values:
                values["posts_total"] = n
                values["posts_kind"] = m.group(1)
    grades = [(m.start(), parse_number(m.group(1))) for m in _POST_GRADE.finditer(text)]
    grades = [(pos, int(g)) for pos, g in grades if g is not None and 1 <= g <= 13]
    if grades:
        values["post_grades"] = [g for _, g in grades]

    medals: dict[str, int] = {}
    for m in _MEDAL.finditer(text):
        n = _signed(text, m, 1)
        if n is None:
            continue
        if _SUBSET.search(text[max(0, m.start() - 4):m.start()]):
            # "其中一个铜奖是学生选手": a part of the awards already counted, described further
            if _STUDENT.search(text[m.end():m.end() + 12]):
                values["student_awards"] = values.get("student_awards", 0) + int(n)
            continue
        kind = {"金": "gold", "金奖": "gold", "银": "silver", "银奖": "silver", "铜": "bronze", "铜奖": "bronze",
                "优胜奖": "merit", "优胜": "merit"}[m.group(2)]
        medals[kind] = medals.get(kind, 0) + int(n)
    for m in _PARTICIPATION.finditer(text):
        n = _signed(text, m, 1)
        if n is not None:
            medals["participation"] = medals.get("participation", 0) + int(n)
    if medals:
        values["medals"] = medals
    rank = _RANK.search(text)
    if rank and _signed(text, rank, 1) is not None:
        values["rank"] = int(_signed(text, rank, 1))
    else:
        for word, award in _RANK_WORD.items():
            if re.search(rf"(拿了?|获得?了?|得了?|获){word}", text):
                values["award"] = award
                break
        else:
            # "技能大赛金奖奖金多少": one award named, without a count (a count makes it a medal tally)
            named = {award for word, award in _RANK_WORD.items() if len(word) > 1 and word in text}
            if len(named) == 1 and not medals:
                values["award"] = named.pop()
    return Slots(values=values, quantities=quantities)

"""送审经办机构: 《关于做好2023年全市职称评审工作的通知》三、（二）（属地管理）and 附件2《乌海市专业技术资格送审经办机构》.

The table is read from the corpus (rows + row clause ids), never copied into code: a row is cited by
its own clause id. Series names are matched exactly, then through the alias list in
`vocab/series_aliases.yaml`, then by substring; more than one candidate row means we ask.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from corpus.loader import load_corpus
from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.bounds import NAME_MAX
from eligibility_tools.enums import District
from eligibility_tools.registry import register
from eligibility_tools.series import canonical_terms, normalise

TOOL_ORDER = 80  # where its tools are listed (CLI, UI forms, LLM tools)

TABLE_ID = "title-review-2023/att2/table"
LOCAL_RULE = "title-review-2023/s3/p2/i2"  # 中、初级：按属地管理原则
NON_PUBLIC_RULE = "title-review-2023/s3/p2/i4"  # 非公：按属地管理原则，通过区级人社部门申报
FORWARDING_RULE = "title-review-2023/s3/p2/i5"  # 送审经办机构统一报送至市人社局


class Affiliation(StrEnum):
    city = "市直单位"
    district = "区属单位"
    non_public = "民营企业、社会团体等非公有制经济组织"
    freelance = "自由职业者"


class OfficeLookupInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    series: str | None = Field(default=None, max_length=NAME_MAX, description="职称系列（专业），如 快递工程、中小学教师、卫生、会计、老师、医生")
    district: District | None = Field(default=None, description="所在区（海勃湾区 / 海南区 / 乌达区），区属单位和非公有制单位按属地送审")
    affiliation: Affiliation | None = Field(default=None, description="单位隶属：市直单位 / 区属单位 / 非公有制经济组织 / 自由职业者")


@lru_cache(maxsize=1)
def _table() -> tuple[list[dict], list[str]]:
    corpus = load_corpus()
    table = next(tb for tb in corpus.tables if tb.id == TABLE_ID)
    return table.rows, table.row_clause_ids


def _row_items(row: dict) -> list[str]:
    return [normalise(x) for x in row["系列（专业）"].split("、") if normalise(x) and normalise(x) != "等"]


def _series_rows() -> list[tuple[dict, str]]:
    rows, ids = _table()
    return [(r, cid) for r, cid in zip(rows, ids, strict=True) if not _is_local(r)]


def _is_local(row: dict) -> bool:
    return "属地" in row["系列（专业）"]


def _district_row(district: District) -> tuple[dict, str]:
    rows, ids = _table()
    return next((r, cid) for r, cid in zip(rows, ids, strict=True) if r["单位"].startswith(district.value))


def covered_series() -> list[str]:
    return [item for row, _ in _series_rows() for item in _row_items(row)]


def match_series(text: str) -> tuple[list[tuple[dict, str]], str]:
    """Rows for a series name, and how they were found (exact / alias / substring)."""
    norm = normalise(text)
    rows = _series_rows()
    exact = [(r, c) for r, c in rows if norm in _row_items(r)]
    if exact:
        return exact, "exact"
    terms = canonical_terms(text)[1:]
    for term in terms:
        hits = [(r, c) for r, c in rows if term in _row_items(r)]
        if hits:
            return hits, "alias"
    if len(norm) > 1:
        hits = [(r, c) for r, c in rows if any(item in norm or norm in item for item in _row_items(r))]
        if hits:
            return hits, "substring"
    return [], "none"


def _office(row: dict, cid: str) -> dict:
    return {"office": row["单位"], "series": row["系列（专业）"], "contact": row["姓名"], "phone": row["办公室电话"],
            "room": row["办公室"], "clause_id": cid}


@register("submission_office_lookup", "职称送审经办机构查询", OfficeLookupInput, category="职称评审")
def submission_office_lookup(inp: OfficeLookupInput, as_of: date) -> ToolResult:
    """按职称系列（专业）查市级送审经办机构、联系人、电话、办公室；区属和非公有制单位按属地报所在区人社局。"""
    t = Trace(as_of)
    value: dict = {"series_office": None, "local_office": None}
    summary: list[str] = []
    local_first = inp.affiliation in (Affiliation.district, Affiliation.non_public)

    if inp.series:
        hits, how = match_series(inp.series)
        offices = {c: (r, c) for r, c in hits}
        if len(offices) == 1:
            row, cid = next(iter(offices.values()))
            value["series_office"] = _office(row, cid)
            value["matched_by"] = how
            via = {"exact": "", "alias": f"（“{inp.series}”按{row['系列（专业）']}对待）",
                   "substring": f"（按名称包含关系匹配“{inp.series}”）"}[how]
            t.step("series_office", f"{inp.series}{via}：送审经办机构为{row['单位']}，联系人{row['姓名']}，电话{row['办公室电话']}，"
                   f"办公室{row['办公室']}。", {"series": inp.series}, cite=[cid])
            summary.append(f"{inp.series}：{row['单位']}（{row['姓名']}，{row['办公室电话']}，{row['办公室']}室）")
        elif len(offices) > 1:
            names = "；".join(f"{r['单位']}（{r['系列（专业）']}）" for r, _ in offices.values())
            value["candidates"] = [_office(r, c) for r, c in offices.values()]
            t.ask("series", f"“{inp.series}”对应多个系列，请说明具体是哪一个：{names}", "不同系列由不同机构受理")
            t.cite(*offices)
        else:
            value["covered_series"] = covered_series()
            t.ask("series", "送审经办机构表列有这些系列（专业）：" + "、".join(value["covered_series"])
                  + "。您申报的是哪一个？（表中乌海市人社局一行以“等”结尾，未列出的系列可能也由其受理，请电话确认）",
                  "表中没有找到该系列")
            t.cite(TABLE_ID.rsplit("/", 1)[0])

    if inp.district is not None:
        row, cid = _district_row(inp.district)
        value["local_office"] = _office(row, cid)
        rule_cites = [LOCAL_RULE] + ([NON_PUBLIC_RULE] if inp.affiliation == Affiliation.non_public else [])
        t.step("local_office", f"中、初级职称按属地管理原则报同级人力资源和社会保障部门；{inp.district.value}由{row['单位']}接收各系列材料"
               f"（联系人{row['姓名']}，电话{row['办公室电话']}，办公室{row['办公室']}）。", {"district": inp.district.value},
               cite=[*rule_cites, cid])
        text = f"{inp.district.value}（属地）：{row['单位']}（{row['姓名']}，{row['办公室电话']}，{row['办公室']}室）"
        summary.insert(0, text) if local_first else summary.append(text)
    elif local_first:
        t.ask("district", "单位在哪个区？（海勃湾区 / 海南区 / 乌达区）", "区属单位和非公有制单位按属地报所在区人社局")
        t.cite(LOCAL_RULE)
    elif inp.series and value["series_office"] and inp.affiliation is None:
        t.step("local_rule", "市直单位按系列报上表所列行业主管部门；区属单位、民营企业等按属地管理原则报所在区人社局"
               "（海勃湾区、海南区、乌达区人社局接收各系列材料）。", cite=[LOCAL_RULE])
    if inp.affiliation == Affiliation.freelance:
        t.step("freelance", "自由职业者：档案存放在人力资源服务机构的由人事代理机构初审、推荐；未委托存放的在纳税或社保参保地申报。",
               cite=[FORWARDING_RULE])
    if value["series_office"] or value["local_office"]:
        t.step("forwarding", "需要提交市人社局的线下材料，由送审经办机构统一报送。", cite=[FORWARDING_RULE])
        t.warn("联系人和电话出自《关于做好2023年全市职称评审工作的通知》附件2（2023年），可能已有变动，请以人社部门最新公布为准。")

    if not inp.series and inp.district is None and not local_first:
        t.ask("series", "您申报哪个职称系列（专业）？", "送审经办机构按系列确定")
        t.ask("district", "单位在哪个区（或是市直单位）？", "区属和非公有制单位按属地送审")
        t.cite(TABLE_ID.rsplit("/", 1)[0], LOCAL_RULE)
    if local_first and inp.district is None:
        return t.result(Outcome.needs_info, value, f"{inp.affiliation.value}按属地管理原则报所在区人社局，请说明单位所在区。")
    if t.missing and not (value["series_office"] or value["local_office"]):
        return t.result(Outcome.needs_info, value, "请说明申报的职称系列（专业）或所在区。")
    outcome = Outcome.computed
    return t.result(outcome, value, "；".join(summary) + "。")

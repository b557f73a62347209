"""Builder for the 职称送审经办机构 lookup."""

from __future__ import annotations

import re
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import builder
from assistant.tool_builders.titles import find_series

_AFFILIATION = [("非公有制经济组织", "民营企业、社会团体等非公有制经济组织"), ("社会组织", "民营企业、社会团体等非公有制经济组织"),
                ("自由职业", "自由职业者")]


@builder("submission_office_lookup")
def _office(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    if not re.search(r"送审|经办|联系人|找谁|交到哪|哪个单位收|归哪|谁收|送到哪|电话|交给谁|哪里交|哪儿交|渠道", q):
        return None
    args: dict[str, Any] = {"series": find_series(q), "district": slots.get("district")}
    unit = slots.get("unit_type")
    for key, value in _AFFILIATION:
        if unit == key:
            args["affiliation"] = value
    if "affiliation" not in args:
        level = slots.get("workplace_level")
        if level == "市直":
            args["affiliation"] = "市直单位"
        elif level in ("区", "乡镇", "村（嘎查）") or slots.get("district"):
            args["affiliation"] = "区属单位"
    if args["series"] is None and args.get("district") is None and args.get("affiliation") is None:
        return None
    return args

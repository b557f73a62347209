"""职称申报路径: 《乌海市事业单位专业技术岗位设置及职称评聘工作实施意见》五（职称评审）and
《关于做好2023年全市职称评审工作的通知》一（参评人员范围）、四（申报评审政策）.

Every route is a list of three-valued checks (yes / no / unknown) plus `ambiguous` where the text
can be read two ways. A route with a failing check asks nothing; an unknown is asked only when no
route is already eligible. When the user names a special situation (转系列, 调入, 奖项, 城区服务乡镇),
its routes decide and lead the answer, and the core routes' open facts are not asked. The 市直中小学
教师、医生 rural-service rule (2023年通知四、（六）4) is a condition of every route to a senior title and,
for a teacher or doctor, is reported on its own — leading the answer when it decides it. The ordinary 逐级晋升 seniority rules are in the autonomous region's
series conditions (通知四、（一）1), which the compilation does not contain, so they are not judged here.

The package, along its jobs: `model` (input schema, checks, the `TitleRoute` type, facts), `core_routes`,
`special_routes`, `summary` (how the result reads) and `tool` (the registered tool).
"""

from eligibility_tools.rules.titles.model import (
    FACT_ZH,
    NOTICE,
    QUESTIONS,
    Check,
    Facts,
    TitleRoute,
    TitleRoutesInput,
    title_clause_ref,
    title_clause_refs,
)
from eligibility_tools.rules.titles.tool import title_application_routes

TOOL_ORDER = 10  # where its tools are listed (CLI, UI forms, LLM tools)

__all__ = ["FACT_ZH", "NOTICE", "QUESTIONS", "Check", "Facts", "TitleRoute", "TitleRoutesInput", "title_application_routes",
           "title_clause_ref", "title_clause_refs"]

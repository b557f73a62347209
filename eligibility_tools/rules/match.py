"""政策匹配（“政策计算器 / 免申即享”）: run every tool a person's or organisation's profile touches.

Each probe says which tool to call, for which kinds of applicant, and which profile fields become
which tool arguments. A tool is run only when the profile contains at least one of its trigger
facts; a tool that is not registered (yet) or rejects the arguments is skipped and reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from corpus.errors import PolicyQAError
from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.bounds import (
    AGE_MAX,
    AREA_MU_MAX,
    AREA_SQM_MAX,
    AWARD_MAX,
    CALENDAR_YEAR_MAX,
    CALENDAR_YEAR_MIN,
    HOURLY_RATE_MAX,
    HOURS_MAX,
    LIVESTOCK_MAX,
    MONEY_MAX,
    MONTHS_MAX,
    NAME_MAX,
    PEOPLE_MAX,
    PER_PERSON_MAX,
    PERSON_TIMES_MAX,
    POSTS_MAX,
    PROJECTS_MAX,
    SUBSIDY_MONTHS_MAX,
    WAGE_MAX,
    YEARS_MAX,
)
from eligibility_tools.enums import Education, Jurisdiction, TitleLevel, TransferOrigin, UnitType, WorkplaceLevel
from eligibility_tools.registry import register
from eligibility_tools.rules.common import money
from eligibility_tools.rules.contests import PriorAward
from eligibility_tools.rules.hr_service import FounderGroup, ProjectLevel
from eligibility_tools.rules.incubator import IncubatorType
from eligibility_tools.rules.training import ApprenticeSource, Certificate, TrainingBrand

TOOL_ORDER = 90  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "政策匹配"


class SubjectType(StrEnum):
    person = "个人"
    enterprise = "企业"
    hr_agency = "人力资源服务机构"
    incubator_operator = "创业园运营机构"
    public_institution = "事业单位"


ORGS = {SubjectType.enterprise, SubjectType.hr_agency, SubjectType.incubator_operator}


class PolicyMatchInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_type: SubjectType = Field(description="主体类型：个人、企业、人力资源服务机构、创业园运营机构、事业单位")
    # 个人
    age: int | None = Field(default=None, ge=0, le=AGE_MAX, description="年龄（周岁）")
    months_in_wuhai: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="在乌海的月数", description="在乌海工作、学习或居住的时长（月）")
    reached_retirement_age: bool | None = Field(default=None, description="是否已达到法定退休年龄")
    prior_award: PriorAward | None = Field(default=None, description="往届市级职业技能竞赛是否获得过一等奖/金奖")
    education: Education | None = Field(default=None, description="最高学历")
    full_time: bool | None = Field(default=None, description="是否全日制学历")
    open_recruitment: bool | None = Field(default=None, description="是否通过公开招聘进入事业单位")
    years_professional_work: Decimal | None = Field(default=None, ge=0, le=YEARS_MAX, description="从事专业技术工作年限（年）")
    unit_type: UnitType | None = Field(default=None, description="（个人）所在单位性质")
    workplace_level: WorkplaceLevel | None = Field(default=None, description="工作单位层级：市直/区/乡镇/村")
    current_title: TitleLevel | None = Field(default=None, description="现有职称层级")
    target_title: TitleLevel | None = Field(default=None, description="拟申报的职称层级")
    years_in_township: Decimal | None = Field(default=None, ge=0, le=YEARS_MAX, title="在乡镇、村工作年限",
                                              description="在乡镇（街道）、村从事专业技术工作累计年限（年）")
    years_in_district_or_below: Decimal | None = Field(default=None, ge=0, le=YEARS_MAX, title="在区及以下工作年限",
                                                       description="在各区及以下（含乡镇、村）从事专业工作累计年限（年）")
    series: str | None = Field(default=None, max_length=NAME_MAX, description="申报的职称系列（专业），如 工程、卫生、中小学教师")
    teacher_or_doctor: bool | None = Field(default=None, description="是否中小学教师或医生")
    rural_service_years: Decimal | None = Field(default=None, ge=0, le=YEARS_MAX, description="涉农镇办基层工作服务经历年限（年）")
    transferred_from: TransferOrigin | None = Field(default=None, description="是否由公务员或军队转业调入企事业单位（不是则不填）")
    years_since_transfer: Decimal | None = Field(default=None, ge=0, le=YEARS_MAX, description="调入企事业单位后的年限（年）")
    changing_series: bool | None = Field(default=None, description="是否因岗位变动需要转系列（专业）评审")
    months_in_new_post: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="在新岗位的月数", description="转系列：在新岗位工作的月数")
    self_employed: bool | None = Field(default=None, description="是否从事个体经营（个体工商户）")
    self_employed_year: int | None = Field(default=None, ge=1, le=YEARS_MAX, title="登记后的第几年", description="目前是个体工商户登记后的第几年")
    key_group_member: bool | None = Field(default=None, description="是否建档立卡贫困人口或持《就业创业证》（《就业失业登记证》）人员")
    veteran: bool | None = Field(default=None, description="是否自主就业退役士兵")
    military_spouse: bool | None = Field(default=None, description="是否随军家属")
    tax_payable: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, title="当年实际应缴税费",
                                        description="个体户当年实际应缴纳的增值税、附加税费和个人所得税（元）")
    meets_loan_conditions: bool | None = Field(default=None, description="是否符合创业担保贷款申请条件")
    founder_group: FounderGroup | None = Field(default=None, description="创办人身份（一次性创业补贴）")
    first_business: bool | None = Field(default=None, description="是否首次创办")
    months_operating: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="正常运营月数", description="自工商登记注册起正常运营的月数")
    # 培训与鉴定
    training_hours: int | None = Field(default=None, ge=0, le=HOURS_MAX, title="培训课时", description="参加职业技能培训的课时")
    in_key_industry_catalog: bool | None = Field(default=None, description="培训职业是否列入《重点产业需求目录》")
    training_brand: TrainingBrand | None = Field(default=None, description="是否知名品牌/特色品牌培训")
    hourly_rate: Decimal | None = Field(default=None, ge=0, le=HOURLY_RATE_MAX, title="课时补贴标准", description="课时补贴标准（元/课时，内发改费字〔2015〕1552号）")
    basic_hours: int | None = Field(default=None, ge=1, le=HOURS_MAX, title="基本培训课时", description="该职业的基本培训课时")
    base_subsidy: Decimal | None = Field(default=None, ge=0, le=PER_PERSON_MAX, title="基准培训补贴", description="该职业的基准培训补贴（元/人）")
    trainees: int | None = Field(default=None, ge=1, le=PEOPLE_MAX, title="培训人数", description="培训人数")
    first_time_appraisal_pass: bool | None = Field(default=None, description="是否初次通过职业技能鉴定")
    certificate: Certificate | None = Field(default=None, description="鉴定取得的证书")
    in_appraisal_catalog: bool | None = Field(default=None, description="鉴定职业是否纳入自治区重点产业评定指导目录")
    appraisal_fee: Decimal | None = Field(default=None, ge=0, le=PER_PERSON_MAX, title="鉴定费", description="实际缴纳的鉴定费（元/人）")
    # 单位
    staff: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="职工人数", description="在职职工（从业）人数")
    small_micro: bool | None = Field(default=None, description="是否小微企业")
    key_group_hires: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="招用重点群体人数", description="招用重点群体人数")
    veteran_hires: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="招用退役士兵人数", description="招用自主就业退役士兵人数")
    hires_contract_and_insurance: bool | None = Field(default=None, description="招用人员是否签订1年以上劳动合同并缴纳社会保险")
    disabled_count: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="安置残疾人人数", description="平均实际安置残疾人就业人数")
    land_tax_due: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, title="应纳城镇土地使用税", description="当年应纳城镇土地使用税（元）")
    taxable_income: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="年度应纳税所得额（元）")
    total_assets: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="资产总额（元）")
    small_scale_taxpayer: bool | None = Field(default=None, description="是否增值税小规模纳税人")
    monthly_sales: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="月销售额（元）")
    high_tech_certified: bool | None = Field(default=None, description="是否经认定的高新技术企业")
    apprentices: int | None = Field(default=None, ge=1, le=PEOPLE_MAX, title="学徒人数", description="新型学徒制学徒人数")
    apprentice_years: int | None = Field(default=None, ge=1, le=YEARS_MAX, title="学徒培养年数", description="学徒培养期限（年）")
    apprentice_source: ApprenticeSource | None = Field(default=None, description="学徒来源")
    apprentice_contract_and_insurance: bool | None = Field(default=None, description="学徒是否签订一年以上劳动合同并缴纳社保")
    simple_trade: bool | None = Field(default=None, description="学徒工种是否简单易学工种")
    # 人力资源服务机构
    operating_agency: bool | None = Field(default=None, description="是否经营性人力资源服务机构")
    intern_persons: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="见习人数", description="就业见习人数")
    intern_months: int | None = Field(default=None, ge=0, le=SUBSIDY_MONTHS_MAX, title="见习月数", description="见习月数")
    region1_min_wage: Decimal | None = Field(default=None, ge=0, le=WAGE_MAX, title="月最低工资标准", description="自治区一类地区月最低工资标准（元/月）")
    reserve_persons: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="储备人数", description="储备的高校毕业生人数")
    reserve_months: int | None = Field(default=None, ge=0, le=SUBSIDY_MONTHS_MAX, title="储备月数", description="人才储备月数")
    loan_new_hires: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="新招用人数", description="当年新招用符合创业担保贷款条件并签一年以上合同的人数")
    project_level: ProjectLevel | None = Field(default=None, description="参与建设的培训基地/技能大师工作室级别")
    listed_projects: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="入库项目数", description="本年度入库创业项目数")
    recommended_projects: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="推介成功项目数", description="其中推介成功并稳定经营半年以上的项目数")
    prev_year_listed: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="上年度入库项目数", description="上年度入库项目数")
    prev_year_recommended: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="上年度推介成功项目数", description="上年度推介成功项目数")
    service_entities: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="稳定经营的实体数", description="经创业服务后注册并稳定经营的实体数")
    first_registrations: int | None = Field(default=None, ge=0, le=PERSON_TIMES_MAX, title="首次登记人次", description="劳动力资源信息首次登记人次")
    updated_person_years: int | None = Field(default=None, ge=0, le=PERSON_TIMES_MAX, title="更新完善人·年数", description="劳动力资源信息更新人·年数")
    placed_hard_to_employ: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="推荐就业人数", description="成功推荐就业困难人员就业人数")
    # 创业园
    base_type: IncubatorType | None = Field(default=None, description="创业园/孵化基地类型")
    area_sqm: Decimal | None = Field(default=None, ge=0, le=AREA_SQM_MAX, title="面积", description="基地面积（平方米）")
    area_mu: Decimal | None = Field(default=None, ge=0, le=AREA_MU_MAX, title="设施农业面积", description="设施农业面积（亩）")
    livestock: int | None = Field(default=None, ge=0, le=LIVESTOCK_MAX, title="禽畜存栏量", description="禽畜存栏量（只）")
    entities: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="入驻实体户数", description="入驻实体（户）")
    employed: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="吸纳就业人数", description="吸纳就业（人）")
    meets_basic_conditions: bool | None = Field(default=None, description="是否符合创业园认定基本条件（第五条）")
    award_amount: Decimal | None = Field(default=None, ge=0, le=AWARD_MAX, title="以奖代补金额", description="第三方评估确定的以奖代补金额（元）")
    last_award_year: int | None = Field(default=None, ge=CALENDAR_YEAR_MIN, le=CALENDAR_YEAR_MAX, description="上次获得以奖代补的年份")
    incubated_success: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="孵化成功户数", description="孵化成功户数")
    new_jobs: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="新增就业人数", description="在孵企业新增就业人数")
    # 事业单位
    total_posts: int | None = Field(default=None, ge=1, le=POSTS_MAX, title="岗位数", description="专业技术岗位总量")
    jurisdiction: Jurisdiction | None = Field(default=None, description="隶属：市本级或区")


@dataclass(frozen=True)
class Probe:
    tool: str
    label: str
    fields: dict[str, str]  # tool argument -> profile field
    subjects: frozenset[SubjectType] | None = None  # None: any applicant
    fixed: dict[str, Any] = field(default_factory=dict)
    triggers: tuple[str, ...] = ()  # profile fields; default: every mapped field
    when: Callable[[PolicyMatchInput], bool] | None = None
    extra: Callable[[PolicyMatchInput], dict[str, Any]] | None = None

    def touched(self, p: PolicyMatchInput) -> bool:
        if self.subjects is not None and p.subject_type not in self.subjects:
            return False
        if self.when is not None and not self.when(p):
            return False
        return any(getattr(p, f) is not None for f in (self.triggers or tuple(self.fields.values())))

    def args(self, p: PolicyMatchInput) -> dict[str, Any]:
        args = dict(self.fixed)
        args.update({arg: _plain(getattr(p, f)) for arg, f in self.fields.items() if getattr(p, f) is not None})
        if self.extra:
            args.update(self.extra(p))
        return args


def _plain(v: Any) -> Any:
    if isinstance(v, StrEnum):
        return v.value
    if isinstance(v, Decimal):
        return str(v)
    return v


def _subjects(*items: SubjectType) -> frozenset[SubjectType]:
    return frozenset(items)


PERSON = _subjects(SubjectType.person)
ORG = frozenset(ORGS)
HR = _subjects(SubjectType.hr_agency)
_HIRE = {"contract_and_insurance": "hires_contract_and_insurance"}
_SELF = {"operating_year": "self_employed_year", "tax_payable": "tax_payable"}


def _self_employed(p: PolicyMatchInput) -> bool:
    return p.self_employed is True or p.self_employed_year is not None


# Every profile fact the title tool reads (its argument -> the profile field); a fact left out here would be asked again.
_TITLE_FIELDS = {f: f for f in ("education", "full_time", "years_professional_work", "unit_type", "workplace_level", "current_title",
                                "target_title", "years_in_township", "years_in_district_or_below", "teacher_or_doctor",
                                "rural_service_years", "transferred_from", "years_since_transfer", "changing_series",
                                "months_in_new_post", "series")}

PROBES: list[Probe] = [
    Probe("skills_contest_entry", "职业技能竞赛报名", {"age": "age", "months_in_wuhai": "months_in_wuhai",
          "reached_retirement_age": "reached_retirement_age", "prior_award": "prior_award"}, PERSON,
          triggers=("months_in_wuhai", "prior_award")),
    Probe("title_application_routes", "职称申报路径", _TITLE_FIELDS, _subjects(SubjectType.person, SubjectType.public_institution),
          triggers=("target_title", "current_title", "years_professional_work", "years_in_township", "years_in_district_or_below",
                    "transferred_from", "changing_series")),
    Probe("initial_post_grade", "事业单位岗位初聘等级", {"degree": "education", "full_time": "full_time",
          "open_recruitment": "open_recruitment"},
          _subjects(SubjectType.person, SubjectType.public_institution), triggers=("education",),
          when=lambda p: p.subject_type == SubjectType.public_institution or p.unit_type == UnitType.shiye),
    Probe("post_structure_quota", "专业技术岗位结构比例", {"total_posts": "total_posts", "jurisdiction": "jurisdiction"},
          _subjects(SubjectType.public_institution), triggers=("total_posts",)),
    Probe("training_subsidy", "职业技能培训补贴", {"hours": "training_hours", "in_key_industry_catalog": "in_key_industry_catalog",
          "brand": "training_brand", "hourly_rate": "hourly_rate", "basic_hours": "basic_hours", "base_subsidy": "base_subsidy",
          "trainees": "trainees"}, triggers=("training_hours",)),
    Probe("training_subsidy", "职业技能鉴定补贴", {"first_time_pass": "first_time_appraisal_pass", "certificate": "certificate",
          "in_appraisal_catalog": "in_appraisal_catalog", "appraisal_fee": "appraisal_fee", "trainees": "trainees"},
          fixed={"subsidy_type": "职业技能鉴定补贴"}, triggers=("first_time_appraisal_pass", "certificate")),
    Probe("apprenticeship_subsidy", "企业新型学徒制培训补贴", {"apprentices": "apprentices", "years": "apprentice_years",
          "apprentice_source": "apprentice_source", "contract_and_insurance": "apprentice_contract_and_insurance",
          "simple_trade": "simple_trade"}, _subjects(SubjectType.enterprise, SubjectType.hr_agency), triggers=("apprentices",),
          extra=lambda p: {"provider": "经营性人力资源服务机构"
                           if p.subject_type == SubjectType.hr_agency and p.operating_agency is not False
                           else "企业"}),
    Probe("tax_benefits", "招用重点群体税收扣减", {"hires": "key_group_hires", **_HIRE}, ORG,
          fixed={"benefit": "招用重点群体就业"}, triggers=("key_group_hires",)),
    Probe("tax_benefits", "招用退役士兵税收扣减", {"hires": "veteran_hires", **_HIRE}, ORG,
          fixed={"benefit": "招用自主就业退役士兵"}, triggers=("veteran_hires",)),
    Probe("tax_benefits", "安置残疾人减征城镇土地使用税", {"disabled_count": "disabled_count", "total_staff": "staff",
          "land_tax_due": "land_tax_due"}, ORG, fixed={"benefit": "安置残疾人就业减征城镇土地使用税"}, triggers=("disabled_count",)),
    Probe("tax_benefits", "小型微利企业所得税优惠", {"taxable_income": "taxable_income", "employees": "staff",
          "total_assets": "total_assets"},
          ORG, fixed={"benefit": "小型微利企业所得税优惠"}, triggers=("taxable_income", "small_micro"),
          when=lambda p: p.small_micro is not False),
    Probe("tax_benefits", "小规模纳税人免征增值税", {"small_scale_taxpayer": "small_scale_taxpayer", "monthly_sales": "monthly_sales"},
          fixed={"benefit": "小规模纳税人免征增值税"}, triggers=("small_scale_taxpayer", "monthly_sales")),
    Probe("tax_benefits", "高新技术企业15%税率", {"high_tech_certified": "high_tech_certified", "taxable_income": "taxable_income"},
          ORG, fixed={"benefit": "高新技术企业减按15%税率"}, triggers=("high_tech_certified",)),
    Probe("tax_benefits", "重点群体个体经营税收扣减", {"qualifies_as_group": "key_group_member", **_SELF}, PERSON,
          fixed={"benefit": "重点群体从事个体经营"}, triggers=("key_group_member",), when=_self_employed),
    Probe("tax_benefits", "退役士兵个体经营税收扣减", {"qualifies_as_group": "veteran", **_SELF}, PERSON,
          fixed={"benefit": "自主就业退役士兵从事个体经营"}, triggers=("veteran",), when=_self_employed),
    Probe("tax_benefits", "随军家属个体经营免征个人所得税", {"qualifies_as_group": "military_spouse",
          "operating_year": "self_employed_year"},
          PERSON, fixed={"benefit": "随军家属从事个体经营免征个人所得税"}, triggers=("military_spouse",), when=_self_employed),
    Probe("hr_service_support", "个人创业担保贷款", {"meets_loan_conditions": "meets_loan_conditions"}, PERSON,
          fixed={"item": "创业担保贷款（个人）"}),
    Probe("hr_service_support", "一次性创业补贴", {"founder_group": "founder_group", "first_business": "first_business",
          "operating_agency": "operating_agency", "months_operating": "months_operating"},
          _subjects(SubjectType.person, SubjectType.hr_agency),
          fixed={"item": "一次性创业补贴"}, triggers=("founder_group",)),
    Probe("hr_service_support", "就业见习补贴", {"operating_agency": "operating_agency", "persons": "intern_persons",
          "months": "intern_months", "region1_min_wage": "region1_min_wage"}, HR,
          fixed={"item": "就业见习补贴"}, triggers=("intern_persons",)),
    Probe("hr_service_support", "人才储备生活补贴", {"operating_agency": "operating_agency", "persons": "reserve_persons",
          "months": "reserve_months"}, HR, fixed={"item": "人才储备生活补贴"}, triggers=("reserve_persons",)),
    Probe("hr_service_support", "机构创业担保贷款", {"operating_agency": "operating_agency", "small_micro": "small_micro",
          "current_staff": "staff", "new_hires": "loan_new_hires"}, HR,
          fixed={"item": "创业担保贷款（机构）"}, triggers=("loan_new_hires",)),
    Probe("hr_service_support", "项目建设补贴", {"project_level": "project_level"}, HR, fixed={"item": "项目建设补贴"}),
    Probe("hr_service_support", "创业项目库建设补贴", {"listed_projects": "listed_projects", "recommended_projects": "recommended_projects",
          "prev_year_listed": "prev_year_listed", "prev_year_recommended": "prev_year_recommended"}, HR,
          fixed={"item": "创业项目库建设补贴"}, triggers=("listed_projects",)),
    Probe("hr_service_support", "创业服务补贴", {"operating_agency": "operating_agency", "entities": "service_entities"}, HR,
          fixed={"item": "创业服务补贴"}, triggers=("service_entities",)),
    Probe("hr_service_support", "劳动力资源调查统计补助", {"first_registrations": "first_registrations",
          "updated_person_years": "updated_person_years"}, HR, fixed={"item": "劳动力资源调查统计补助"}),
    Probe("hr_service_support", "就业困难人员援助补助", {"persons": "placed_hard_to_employ"}, HR, fixed={"item": "就业困难人员援助补助"}),
    Probe("incubator_recognition", "创业园/孵化基地认定与扶持", {"base_type": "base_type", "area_sqm": "area_sqm", "area_mu": "area_mu",
          "livestock": "livestock", "entities": "entities", "employed": "employed", "meets_basic_conditions": "meets_basic_conditions",
          "award_amount": "award_amount", "last_award_year": "last_award_year", "incubated_success": "incubated_success",
          "new_jobs": "new_jobs", "region1_min_wage": "region1_min_wage"}, _subjects(SubjectType.incubator_operator),
          triggers=("base_type",)),
]


@register("policy_match", "政策匹配（我能享受哪些政策）", PolicyMatchInput, category=CATEGORY)
def policy_match(inp: PolicyMatchInput, as_of: date) -> ToolResult:
    """政策匹配：按个人或单位的情况运行所有相关工具，列出可享受、差一点（缺哪些信息）、已到期的政策和可计算金额合计（“我/我们单位能享受哪些政策？”）。"""
    from eligibility_tools.registry import load_tools, run_tool

    t = Trace(as_of)
    tools = load_tools()
    applies, nearly, expired, not_eligible, skipped = [], [], [], [], []
    total = Decimal(0)
    for probe in PROBES:
        if not probe.touched(inp):
            continue
        if probe.tool not in tools:
            skipped.append({"tool": probe.tool, "label": probe.label, "reason": "该工具尚未提供"})
            continue
        try:
            result = run_tool(probe.tool, probe.args(inp), as_of)
        except PolicyQAError as err:
            skipped.append({"tool": probe.tool, "label": probe.label, "reason": str(err)})
            continue
        entry = _entry(probe, result)
        t.cite(*result.citations)
        t.step(probe.tool, f"{probe.label}：{result.summary_zh}", probe.args(inp))
        conditional = bool(result.missing_facts)  # a figure that rests on facts still to confirm is "差一点", not counted
        if result.outcome in (Outcome.eligible, Outcome.computed) and not conditional:
            applies.append(entry)
            if isinstance(entry["amount_yuan"], Decimal | int):
                total += entry["amount_yuan"]
        elif result.outcome in (Outcome.needs_info, Outcome.ambiguous) or conditional:
            nearly.append(entry)
            reverse = {arg: f for arg, f in probe.fields.items()}
            for m in result.missing_facts:
                t.ask(reverse.get(m.fact, f"{probe.tool}.{m.fact}"), m.question_zh, f"{probe.label}：{m.why}")
        elif result.outcome == Outcome.not_in_force:
            expired.append(entry)
        else:
            not_eligible.append(entry)
    value = {"applies": applies, "nearly": nearly, "expired": expired, "not_eligible": not_eligible, "skipped": skipped,
             "total_computable_yuan": money(total)}
    if not (applies or nearly or expired or not_eligible):
        t.cite("hr-service/att1")
        t.ask("profile", "请补充更多情况（如培训课时、招用人数、学徒人数、创业园面积与入驻户数、拟申报职称等），以便匹配政策。",
              "目前提供的信息不足以匹配任何政策")
        return t.result(Outcome.needs_info, value, "提供的信息不足以匹配政策，请补充情况。")
    parts = [f"可享受{len(applies)}项"]
    if nearly:
        parts.append(f"差一点或待确认{len(nearly)}项")
    if expired:
        parts.append(f"已到期{len(expired)}项")
    summary = "，".join(parts) + (f"；可计算的金额合计{yuan(value['total_computable_yuan'])}"
                                  "（补贴、奖励与税费减免的下限之和，贷款额度不计入）。")
    t.warn("合计只加总可确定的金额；同一事项多项政策交叉时按“从高、从优、不重复”原则执行，实际以主管部门核定为准。")
    return t.result(Outcome.computed, value, summary)


def _entry(probe: Probe, result: ToolResult) -> dict:
    value = result.value if isinstance(result.value, dict) else {}
    amount = value.get("amount_yuan")
    entry = {"tool": probe.tool, "label": probe.label, "outcome": result.outcome.value, "summary_zh": result.summary_zh,
             "amount_yuan": amount if isinstance(amount, Decimal | int) and not isinstance(amount, bool) else None,
             "citations": result.citations}
    if result.missing_facts:
        entry["missing_facts"] = [m.model_dump() for m in result.missing_facts]
    if result.warnings:
        entry["warnings"] = result.warnings
    if "readings" in value:
        entry["readings"] = value["readings"]
    if "would_have_been_yuan" in value:
        entry["would_have_been_yuan"] = value["would_have_been_yuan"]
    return entry

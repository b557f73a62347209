"""Schema -> form mapping and form values -> tool arguments (no gradio, no server)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from corpus.errors import ToolInputError
from ui.schema_form import NO, UNKNOWN, YES, collect_args, fields_from_schema, initial_value


class Colour(StrEnum):
    red = "红"
    blue = "蓝"


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    colour: Colour = Field(description="颜色")
    maybe_colour: Colour | None = Field(default=None, description="可选颜色")
    mode: Literal["个人", "团体"] = Field(default="个人", description="方式")
    years: int | None = Field(default=None, ge=0, le=60, description="工作年限（年）")
    count: int = Field(default=1, ge=1, description="人数")
    rate: float | None = Field(default=None, description="比例")
    money: Decimal | None = Field(default=None, description="金额（元）")
    full_time: bool | None = Field(default=None, description="是否全日制")
    strict_flag: bool = Field(description="必答的是非题")
    tags: list[Colour] = Field(default_factory=list, description="多选颜色")
    start: date | None = Field(default=None, description="开始日期")
    note: str | None = Field(default=None, description="备注")


@pytest.fixture(scope="module")
def fields():
    return {f.name: f for f in fields_from_schema(Sample.model_json_schema())}


class TestFieldsFromSchema:
    def test_run_keeps_declaration_order(self, fields):
        assert list(fields) == list(Sample.model_fields)

    def test_run_enum_becomes_required_dropdown_with_values(self, fields):
        f = fields["colour"]
        assert (f.kind, f.required, f.choices, f.label) == ("dropdown", True, ("红", "蓝"), "颜色")
        assert f.display_label == "颜色（必填）"

    def test_run_optional_enum_is_nullable_dropdown(self, fields):
        f = fields["maybe_colour"]
        assert (f.kind, f.required, f.nullable, f.choices) == ("dropdown", False, True, ("红", "蓝"))

    def test_run_literal_becomes_dropdown_with_default(self, fields):
        f = fields["mode"]
        assert (f.kind, f.choices, f.default) == ("dropdown", ("个人", "团体"), "个人")

    def test_run_integer_keeps_bounds(self, fields):
        f = fields["years"]
        assert (f.kind, f.minimum, f.maximum, f.nullable, f.blank_number) == ("integer", 0.0, 60.0, True, True)

    def test_run_integer_with_default_is_a_number_box(self, fields):
        f = fields["count"]
        assert (f.kind, f.default, f.blank_number) == ("integer", 1, False)
        assert initial_value(f) == 1

    def test_run_float_and_decimal_are_numbers_and_decimal_is_marked(self, fields):
        assert (fields["rate"].kind, fields["rate"].decimal) == ("number", False)
        assert (fields["money"].kind, fields["money"].decimal) == ("number", True)

    def test_run_nullable_bool_is_three_valued_and_starts_unknown(self, fields):
        f = fields["full_time"]
        assert (f.kind, f.choices) == ("tristate", (YES, NO, UNKNOWN))
        assert initial_value(f) == UNKNOWN

    def test_run_required_bool_offers_only_yes_no(self, fields):
        f = fields["strict_flag"]
        assert (f.kind, f.choices, f.required) == ("tristate", (YES, NO), True)
        assert initial_value(f) is None

    def test_run_list_of_enums_is_checkbox_group(self, fields):
        f = fields["tags"]
        assert (f.kind, f.choices) == ("checkboxes", ("红", "蓝"))
        assert initial_value(f) == []

    def test_run_date_and_text(self, fields):
        assert fields["start"].kind == "date"
        assert fields["note"].kind == "text"
        assert initial_value(fields["note"]) == ""

    def test_run_every_registered_tool_maps_without_json_fallback(self):
        from eligibility_tools.registry import load_tools

        tools = load_tools()
        assert "initial_post_grade" in tools
        for name, spec in tools.items():
            fields = fields_from_schema(spec.json_schema())
            assert fields, name
            assert len(fields) == len(spec.input_model.model_fields), name
            for f in fields:
                assert f.label and f.label != f.name, f"{name}.{f.name} has no Chinese description"


def _values(fields, **given):
    return [given.get(name, initial_value(f)) for name, f in fields.items()]


class TestCollectArgs:
    def test_run_untouched_form_sends_only_defaults_it_shows(self, fields):
        args = collect_args(list(fields.values()), _values(fields))
        # blank optional fields are left out; unknown (None) is sent as None, never False
        assert args == {"mode": "个人", "count": 1, "full_time": None}

    def test_run_unknown_is_none_not_false(self, fields):
        assert collect_args([fields["full_time"]], [UNKNOWN]) == {"full_time": None}
        assert collect_args([fields["full_time"]], [NO]) == {"full_time": False}
        assert collect_args([fields["full_time"]], [YES]) == {"full_time": True}

    def test_run_blank_number_is_left_out_not_zero(self, fields):
        assert collect_args([fields["years"]], [""]) == {}
        assert collect_args([fields["years"]], ["0"]) == {"years": 0}

    def test_run_number_text_is_normalised(self, fields):
        assert collect_args([fields["years"]], ["１２"]) == {"years": 12}
        assert collect_args([fields["money"]], ["1,200.50"]) == {"money": "1200.5"}
        assert collect_args([fields["rate"]], [0.25]) == {"rate": 0.25}
        assert collect_args([fields["count"]], [3.0]) == {"count": 3}

    def test_run_rejects_non_number_with_chinese_label(self, fields):
        with pytest.raises(ToolInputError, match="工作年限"):
            collect_args([fields["years"]], ["三年"])

    def test_run_rejects_fraction_for_integer(self, fields):
        with pytest.raises(ToolInputError, match="整数"):
            collect_args([fields["years"]], ["2.5"])

    def test_run_optional_dropdown_blank_is_left_out(self, fields):
        assert collect_args([fields["maybe_colour"]], [""]) == {}
        assert collect_args([fields["maybe_colour"]], ["蓝"]) == {"maybe_colour": "蓝"}

    def test_run_checkboxes_pass_the_selection(self, fields):
        assert collect_args([fields["tags"]], [["红", "蓝"]]) == {"tags": ["红", "蓝"]}
        assert collect_args([fields["tags"]], [[]]) == {}

    def test_run_round_trips_through_the_model(self, fields):
        values = _values(fields, colour="蓝", strict_flag=YES, years="5", money="100", tags=["红"], start="2025-12-31")
        model = Sample.model_validate(collect_args(list(fields.values()), values))
        assert (model.colour, model.strict_flag, model.years, model.money, model.tags, model.start, model.full_time) == \
            (Colour.blue, True, 5, Decimal("100"), [Colour.red], date(2025, 12, 31), None)

    def test_init_rejects_wrong_value_count(self, fields):
        with pytest.raises(ValueError, match="expected"):
            collect_args(list(fields.values()), [])

    def test_run_initial_post_grade_form_gives_eleventh_grade_for_master(self):
        from eligibility_tools.registry import get_tool, run_tool

        spec = get_tool("initial_post_grade")
        fields = fields_from_schema(spec.json_schema())
        values = ["硕士" if f.name == "degree" else initial_value(f) for f in fields]
        result = run_tool("initial_post_grade", collect_args(fields, values), date(2025, 6, 1)).to_json()
        assert result["value"]["grade_zh"] == "十一级"
        assert result["value"]["exempt_from_structure_ratio"] is None  # unknown facts stay unknown
        assert {m["fact"] for m in result["missing_facts"]} == {"full_time", "open_recruitment"}

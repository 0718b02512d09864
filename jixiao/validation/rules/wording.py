"""措辞: vague targets and names, and names that carry values (V-VAGUE, R10)."""
from __future__ import annotations

import re

from ...model.indicator import LEVEL1, LEVEL2
from .. import names
from ..registry import BASIC, Example, project, qty, rule, social

_MEASURABLE = frozenset(("quantity", "range", "deadline", "period"))
# A number with a unit inside a name ("26个村…", "培训≥500人次"); a calendar year
# ("2024年") and an ordinal ("第3季度") are not values.
_NUMBER_UNIT = re.compile(
    r"(?<![第\d.])(\d+(?:\.\d+)?)\s*(%|万元|元|人次|场次|个|人|次|场|户|家|所|座|台|套|件|册|本|篇|份|期|批|条|辆|名"
    r"|处|间|亩|公里|千米|平方米|立方米|吨|公斤|天|小时|个工作日|工作日|年)")
_OPERATOR = re.compile(r"[≥≤≧≦⩾⩽＞＜><＝﹦]|>=|<=")
_STANDARD = frozenset(LEVEL1) | frozenset(LEVEL2) | {n.removesuffix("指标") for n in (*LEVEL1, *LEVEL2)}


@rule("V-VAGUE", "warning", title="含糊的目标表述",
      checks="指标值或指标名称使用“进一步提高”“明显改善”“有效提升”“逐步完善”等程度副词加动词, "
             "又没有可衡量的数值、期限。",
      why="“明显改善”无法判断是否达成, 自评时只能凭感觉打分; 目标应细化量化 (指向明确、量化易评)。",
      fails=Example(project(*BASIC, social("农村人居环境", "明显改善"))),
      passes=Example(project(*BASIC, social("农村卫生厕所普及率", "≥90%"))))
def vague_wording(ctx):
    for it in ctx.items:
        t = it.t
        if t is not None and t.kind in _MEASURABLE:
            continue
        phrase = names.vague_phrase(t.text) if t is not None and t.text else None
        if phrase:
            yield ctx.at(it, "target", f"“{it.name}”的指标值“{t.text}”是含糊表述 (“{phrase}”), 没有可衡量的数值",
                         "改为可衡量的数值或期限, 如“≥90%”“较上年提高5个百分点”")
            continue
        phrase = names.vague_phrase(it.core)
        if phrase:
            shown = f"指标值“{t.text}”" if t is not None and t.text else "没有指标值"
            yield ctx.at(it, "name", f"指标名称“{it.name}”含糊 (“{phrase}”), {shown}也不可衡量",
                         "名称写明衡量的对象 (如“…达标率”), 指标值写具体数值")


@rule("R10", "warning", title="指标名称含数值、单位或符号",
      checks="三级指标名称不含比较符号、数值和单位 (如“26个村…”“培训≥500人次”), 也不只是重复二级指标名称。",
      why="数值和单位应写在指标值和度量单位栏; 写进名称后, 目标值改了名称却没改, 前后矛盾。",
      fails=Example(project(*BASIC, qty("26个村“两委”在职人数", "=78人"))),
      passes=Example(project(*BASIC, qty("村“两委”干部人数", "=78人"))))
def name_carries_value(ctx):
    for it in ctx.items:
        name = it.name
        if not name:
            continue
        m = _OPERATOR.search(name)
        if m:
            yield ctx.at(it, "name", f"指标名称“{name}”含比较符号“{m[0]}”",
                         "把符号和数值移到指标值栏, 名称只写衡量的对象")
            continue
        for m in _NUMBER_UNIT.finditer(name):
            if m[2] == "年" and len(m[1]) == 4 and m[1][:2] in ("19", "20"):
                continue
            yield ctx.at(it, "name", f"指标名称“{name}”含数值和单位“{m[0]}”",
                         "把数值移到指标值栏或指标解释中, 名称只写衡量的对象")
            break
        else:
            if it.core in _STANDARD and "satisfaction" not in it.kinds:
                yield ctx.at(it, "name", f"指标名称“{name}”只是重复了指标分类名称",
                             "写明具体衡量什么, 如“培训人次”“政策知晓率”")

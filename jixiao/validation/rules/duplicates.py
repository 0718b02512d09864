"""重复: a leaf name appears once per project or 核心职能 (R19)."""
from __future__ import annotations

import re
from typing import Any

from ..registry import BASIC, Example, project, qty, rule

# "送戏下乡演出" and "送戏下乡演出场次" (both in 场) count the same thing.
_COUNT_WORD = re.compile(r"(?:场次|次数|人次|人数|户数|个数|家数|件数|数量|总数|面积|里程|长度)$")


def _dup_key(it) -> tuple[str, str]:
    unit = (it.t.unit or "").strip() if it.t is not None else ""
    return (_COUNT_WORD.sub("", it.key) or it.key), unit


@rule("R19", "warning", title="指标重复",
      checks="同一项目或同一核心职能内, 规范化后的三级指标名称 (忽略空格和标点) 只出现一次。",
      why="重复的指标会重复计分, 也常是复制粘贴时忘了修改的痕迹; 删去一条即可, 不必退回重报, 故为警告。",
      fails=Example(project(*BASIC, qty("开展党日活动次数", "=12次"), qty("开展党日活动次数 ", "≥12次"))),
      passes=Example(project(*BASIC, qty("开展党日活动次数", "=12次"), qty("开展专题会议次数", "≥12次"))))
def duplicate_names(ctx):
    for scope in ctx.scopes:
        seen: dict[Any, Any] = {}
        for it in scope.items:
            if not it.key:
                continue
            first = seen.setdefault(it.key, it)  # noqa: F841  (the first stays, later ones are reported)
            if first is it and it.t is not None and it.t.unit:
                first = seen.setdefault(_dup_key(it), it)
            if first is not it:
                yield ctx.at(it, "name", f"“{it.name}”在{scope.shown}中重复出现",
                             "删除重复的指标, 或改写名称区分两者衡量的不同对象")

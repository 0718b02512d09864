"""Sheets the stored-sheet tests build on: the seed made submittable, a small weighted
project, and a helper that takes a draft through to approval."""
from __future__ import annotations

import copy
from typing import Any

from jixiao.services import sheets, workflow


def submittable(seed_gold: dict[str, Any]) -> dict[str, Any]:
    """A copy of the seed's gold reading with its one error-level finding fixed (the
    60 元 subsidy is a cost, not an output), so that it can be submitted."""
    doc = copy.deepcopy(seed_gold)
    first = doc["functions"][0]["indicators"][0]
    first["level1"], first["level2"] = "成本指标", "经济成本指标"
    return doc


def road_project(unit: str = "单位A1") -> dict[str, Any]:
    """A small project sheet with weights (the scoring engine needs them); a fresh
    copy each call."""
    return {"schema": "jixiao/sheet@1", "kind": "project", "stage": "declaration", "title": "2024年项目支出绩效目标申报表",
            "year": 2024, "unit": unit, "project": "农村道路养护", "goals": ["养护农村道路 120 公里"],
            "functions": [], "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "养护道路里程", "target": "≥120公里", "weight": 30},
                {"level1": "产出指标", "level2": "质量指标", "name": "路面完好率", "target": "≥95%", "weight": 20},
                {"level1": "效益指标", "level2": "社会效益指标", "name": "群众出行条件改善", "target": "明显改善",
                 "weight": 30},
                {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度", "target": "≥90%",
                 "weight": 10}],
            "diagnostics": [], "extra": {}}


def approved(tree, document: dict[str, Any], *, who: str = "prep_A1", reviewer: str = "rev_A") -> int:
    """A new sheet of ``who`` from ``document``, submitted, passed by ``reviewer`` and
    approved by finance; its id."""
    with tree.session() as s:
        sid = sheets.create_sheet(s, actor=tree.actors[who], document=copy.deepcopy(document)).info.id
    for actor, action in ((who, "submit"), (reviewer, "pass"), ("fin", "approve")):
        with tree.session() as s:
            workflow.perform_action(s, actor=tree.actors[actor], sheet_id=sid, action=action)
    return sid

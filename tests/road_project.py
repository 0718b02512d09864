"""A small weighted project sheet (农村道路养护, 2024) for the monitoring, self-evaluation
and dashboard tests: four indicators with weights, which the scoring engine needs."""
from __future__ import annotations

from typing import Any


def road_project(unit: str = "单位A1") -> dict[str, Any]:
    """A fresh copy each call: callers change it freely."""
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

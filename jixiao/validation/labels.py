"""Chinese labels for the words the checker prints (kept here, not in ``present``,
so the checker imports nothing from the terminal layer)."""
from __future__ import annotations

SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_LABEL = {"department": "部门整体支出", "project": "项目支出"}
STAGE_LABEL = {"declaration": "申报", "approval": "批复", "monitoring": "监控", "self_evaluation": "自评"}
FUNDS_LABEL = {"total": "资金总额", "fiscal": "财政拨款", "other": "其他资金", "basic": "基本支出",
               "project": "项目支出"}

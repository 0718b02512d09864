"""相关性与重点突出: goals map to indicators (R20); a focused set of indicators (R21).

Relevance is lexical: character bigrams (jieba is not a dependency) shared between a
goal sentence and the indicator names, ignoring bigrams of generic verbs and fillers.
"""
from __future__ import annotations

import re

from .. import names
from ..names import vague_phrase
from ..registry import BASIC, Example, department, function, project, qty, rule, sat, social

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Generic words in goals that say nothing about *what* is done.
_STOP_WORDS = ("工作 开展 加强 提高 提升 推进 全面 确保 落实 有序 深入 实现 进一 一步 营造 良好 氛围 保障 放松 "
               "力度 水平 发展 取得 实效 任务 各项 完成 相关 进行 组织 服务 年度 全年 本年 目标 积极 有效 持续 "
               "不断 做好 抓好 推动 促进 以上 常态 态化 高质 质量发展 主要 重点 建设 管理 情况 机制 体系 能力 "
               "不断 切实 稳步 得到 达到 按照 要求 进一步 规范 完善 健全")
# Removed from a goal before taking bigrams, longest first ("进一步" before "一步").
_STOP = re.compile("|".join(sorted(set(_STOP_WORDS.split()), key=len, reverse=True)))


_LABEL = re.compile(r"^\s*(?:(?:年度)?(?:绩效)?(?:目标|任务)\s*)?[\d一二三四五六七八九十]{1,2}\s*[:：、.．)）]\s*"
                    r"|^\s*(?:(?:年度)?(?:绩效)?(?:目标|任务))\s*[\d一二三四五六七八九十]{1,2}\s*")


_SLOGAN = re.compile(r"(?:着力|全力|努力|大力|积极|持续|全面|不断|切实|进一步|奋力|加快|倾力)?"
                     r"(?:打造|构建|营造|助力|夯实|筑牢|擦亮|唱响|树立|彰显|谱写|开创)")


# Outcomes no one can count, wherever they stand in the goal: "为建设…营造良好氛围".
_FILLER = re.compile(r"营造[^,，;；。]{0,6}氛围|作出[^,，;；。]{0,4}贡献|奠定[^,，;；。]{0,6}基础|助力[^,，;；。]{2,}"
                     r"|讲好[^,，;；。]{0,8}故事|传承[^,，;；。]{0,6}基因|弘扬[^,，;；。]{0,8}精神|凝聚[^,，;；。]{0,6}力量"
                     r"|厚植[^,，;；。]{0,8}情怀|唱响[^,，;；。]{0,8}主旋律|坚定[^,，;；。]{0,6}信心")


_MEANS = re.compile(r"^(?:通过|依托|借助|利用|围绕|按照|根据|结合|以)")


def _filler(goal: str) -> re.Match | None:
    """The filler outcome of a goal all of whose clauses are means ("通过整合各类媒体") or
    filler ("为建设…营造良好氛围"); None when a clause says what is done ("有序开展…民生工作")."""
    found = None
    for clause in re.split(r"[,，;；。]", goal):
        clause = clause.strip()
        if not clause:
            continue
        m = _FILLER.search(clause) or _SLOGAN.match(clause)
        if m:
            found = found or m
        elif not _MEANS.match(clause):
            return None
    return found


def bigrams(text: str) -> set[str]:
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


@rule("R20", "warning", title="年度目标没有对应的指标",
      checks="每条年度目标至少与一个三级指标名称共有关键词 (去掉“开展”“提高”等泛用词后按双字词比较); "
             "只有泛用词的目标 (“全面完成各项工作任务”) 也提示。",
      why="指标是对目标的细化 (高度关联): 没有指标对应的目标, 到年底无从评价是否实现。",
      needs="共有关键词的最少个数由配置 thresholds.relevance_min_shared 设定。",
      fails=Example(project(*BASIC, goals=["开展农村实用技术培训", "完成高标准农田建设验收"])),
      passes=Example(project(*BASIC, qty("高标准农田验收面积", "≥2000亩"),
                             goals=["开展农村实用技术培训", "完成高标准农田建设验收"])))
def goals_have_indicators(ctx):
    vocabulary: set[str] = set()
    for it in ctx.items:
        vocabulary |= bigrams(it.name)
    if not vocabulary:
        return
    need = max(1, ctx.th.relevance_min_shared)
    # The unit's own field ("农业" of 农业农村局) is in most of its goals and indicators:
    # sharing it says nothing about whether the goal's object is measured.
    field = bigrams(_STOP.sub(" ", re.sub(r"(?:人民政府|委员会|管理局|服务中心|中心|局|委|办|所|站)$", "",
                                          ctx.sheet.unit or "")))
    for gi, goal in enumerate(ctx.sheet.goals):
        if not goal or not goal.strip():
            continue
        goal = _LABEL.sub("", goal)                 # "目标2: …": the label's number is no content
        content = bigrams(_STOP.sub(" ", goal))
        if content - field:
            content -= field
        shown = goal if len(goal) <= 40 else goal[:39] + "…"
        phrase = vague_phrase(goal)
        if not phrase and (slogan := _SLOGAN.match(goal.strip()) or _filler(goal)):
            phrase = slogan[0]              # "着力打造“一刻钟”养老服务圈", "…营造良好氛围": nothing to count
        if phrase and not re.search(r"\d", goal):
            yield ctx.at_sheet(f"goals[{gi}]", f"目标{gi + 1}“{shown}”只有“{phrase}”这样的笼统表述, 没有要完成的数量、"
                                               "程度或时限",
                               "写明本年度完成什么、完成多少、达到什么程度, 并设置相应的指标")
        elif not content:
            yield ctx.at_sheet(f"goals[{gi}]", f"目标{gi + 1}“{shown}”过于笼统, 无法与任何指标对应",
                               "写明要完成的具体事项和程度, 并为它设置相应的指标")
        elif len(content & vocabulary) < need:
            yield ctx.at_sheet(f"goals[{gi}]", f"目标{gi + 1}“{shown}”没有对应的绩效指标",
                               "为该目标设置至少一个产出或效益指标, 或删去不再开展的目标")


@rule("R21", "info", title="指标过多或通用指标过多",
      checks="每个核心职能或项目的三级指标不超过配置上限 (默认 20 个); 日常办公、正常运转、制度建设、资金合规等"
             "通用管理类指标不超过 60%。",
      why="重点突出 (财预〔2021〕101号): 指标过多或多为通用管理指标, 反而看不出资金办成的主要事项。",
      needs="上限与占比由配置 thresholds.max_indicators、thresholds.generic_share 设定。",
      fails=Example(department(function("职能1", "负责机关运行保障",
                                         qty("日常办公正常运转率", "=100%"), social("机关运行保障", "=100%"),
                                         social("资金使用合规性", "=100%"), sat("干部职工满意度", "≥90%"),
                                         social("档案管理规范率", "=100%")))),
      passes=Example(project(*BASIC)))
def focus(ctx):
    limit, share = ctx.th.max_indicators, ctx.th.generic_share
    for scope in ctx.scopes:
        n = len(scope.items)
        if n > limit:
            yield ctx.at_scope(scope, f"{scope.shown}有 {n} 个三级指标, 超过 {limit} 个",
                               "合并同类指标, 保留最能反映主要产出和效果的指标")
        if n >= 5:
            # The unit's own business is not generic: 档案 for an archives bureau.
            own = ctx.sheet.unit or ""
            generic = sum("generic" in it.kinds and not ((m := names.GENERIC.search(it.core)) and m[0] in own)
                          for it in scope.items)
            if generic / n > share:
                yield ctx.at_scope(scope, f"{scope.shown}的 {n} 个指标中有 {generic} 个是通用管理类指标",
                                   "用反映本职能或项目特有产出和效果的指标替换日常办公、制度、合规类指标")


# A goal that only says where the money goes: "30万元用于预算编制; 30万元用于审计".
_SPENDING = re.compile(r"\d+(?:\.\d+)?\s*万?元\s*(?:主要)?(?:用于|用作|安排|拨付)[^,，;；。]*"
                       r"|(?:用于|安排)[^,，;；。]{0,20}\d+(?:\.\d+)?\s*万?元"
                       r"|(?:申请|预算|安排|下达|投入|投资|资金)[^,，;；。\d]{0,6}\d+(?:\.\d+)?\s*万?元")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*[万亿]?元")
_RESULT_WORD = re.compile(r"完成|达到|实现|提高|提升|降低|减少|覆盖|受益|保障|确保|改善|新建|建成|培训|服务|开展|惠及")
_GOAL_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(人次|场次|公里|平方米|亩|个|人|次|场|户|家|所|座|台|套|件|期|批|条|辆|名|处|间|吨|项)")


def _indicator_example(ctx) -> str:
    shown = [f"{it.name}{it.t.text.strip().lstrip('=')}" for it in ctx.items
             if it.name and it.t is not None and it.t.kind in ("quantity", "range")][:2]
    return f", 如“{'、'.join(shown)}”" if shown else ""


@rule("V-GOAL-SPENDING", "warning", title="年度目标只是项目名称或资金用途", refines="R20", supersedes=("R20",),
      checks="年度目标要写出本年度的产出和效果; 只重复项目名称, 或只罗列“××万元用于……”的资金分解, 不是绩效目标。",
      why="绩效目标是资金预期达到的产出和效果 (财预〔2015〕88号); 资金用途是预算的内容, 写成目标后, 指标就无从细化。",
      fails=Example(project(*BASIC, goals=["本项目申请资金30万元, 其中20万元用于技术培训, 10万元用于印制资料"])),
      passes=Example(project(*BASIC, goals=["开展农村实用技术培训500人次, 政策知晓率达到90%"])))
def goal_is_spending(ctx):
    from ..context import name_key
    project = re.sub(r"^(?:\d{4}年度?|\d{4})", "", name_key(ctx.sheet.project or ""))
    for gi, goal in enumerate(ctx.sheet.goals):
        if not goal or not goal.strip():
            continue
        key = name_key(goal)
        shown = goal if len(goal) <= 40 else goal[:39] + "…"
        if project and len(key) >= 4 and (key == project or (key in project and len(key) >= len(project) * 0.6)):
            yield ctx.at_sheet(f"goals[{gi}]", f"目标{gi + 1}“{shown}”只是项目名称, 没有写出要达成的产出和效果",
                               "写明本年度完成的数量、质量、时效和带来的效果" + _indicator_example(ctx))
            continue
        rest = _SPENDING.sub(" ", goal)
        # "总投资500万元, 其中道路硬化300万元, 环境整治200万元": every clause an amount.
        clauses = [c for c in re.split(r"[,，;；。]", goal) if c.strip()]
        breakdown = len(_AMOUNT.findall(goal)) >= 2 and all(_AMOUNT.search(c) for c in clauses) \
            and not _GOAL_NUMBER.search(_AMOUNT.sub(" ", goal))
        if (len(_SPENDING.findall(goal)) >= 1 or breakdown) and not _RESULT_WORD.search(rest):
            yield ctx.at_sheet(f"goals[{gi}]", f"目标{gi + 1}“{shown}”只是资金用途的分解, 没有写出要达成的产出和效果",
                               "资金用途写在预算中; 目标写这笔资金要办成的事和效果" + _indicator_example(ctx))


@rule("V-GOAL-MISMATCH", "warning", title="年度目标与指标的数值不一致", refines="R20",
      checks="年度目标中写明的数量 (如“培训500人次”) 与衡量同一事项、同一单位的指标值 (如“培训人次 ≥400人次”) 一致。",
      why="目标和指标前后矛盾, 到年底按哪个考核说不清; 多半是修改了一处忘了另一处。",
      fails=Example(project(qty("农村实用技术培训人次", "≥400人次"), social("政策知晓率", "≥90%"),
                            sat("参训人员满意度", "≥90%"), goals=["开展农村实用技术培训500人次"])),
      passes=Example(project(qty("农村实用技术培训人次", "≥500人次"), social("政策知晓率", "≥90%"),
                             sat("参训人员满意度", "≥90%"), goals=["开展农村实用技术培训500人次"])))
def goal_number_mismatch(ctx):
    by_unit: dict[str, list] = {}
    for it in ctx.items:
        t = it.t
        if t is not None and t.kind == "quantity" and t.value is not None and t.unit:
            by_unit.setdefault(t.unit.strip(), []).append(it)
    if not by_unit:
        return
    for gi, goal in enumerate(ctx.sheet.goals):
        for m in _GOAL_NUMBER.finditer(goal or ""):
            value, unit = float(m[1]), m[2]
            before = bigrams(_STOP.sub(" ", goal[max(0, m.start() - 14):m.start()]))
            if len(before) < 2:
                continue
            near = [(len(before & bigrams(it.name)), it) for it in by_unit.get(unit, ())]
            near = [(k, it) for k, it in near if k >= 2]
            if not near or any(it.t.value == value for _, it in near):
                continue
            _, it = max(near, key=lambda pair: pair[0])
            if it.t.op in ("≥", ">") and it.t.value < value or it.t.op in ("≤", "<") and it.t.value > value \
                    or it.t.op in (None, "="):
                yield ctx.at_sheet(f"goals[{gi}]",
                                   f"目标{gi + 1}写明“{m[0]}”, 而指标“{it.name}”的指标值为“{it.t.text.strip()}”, 二者不一致",
                                   f"核对后统一: 目标写“{m[1]}{unit}”则指标值写“≥{m[1]}{unit}”, 或按指标修改目标")

"""可衡量: a target a reviewer can check at year end (量化易评). A percentage needs a
rate behind it (numerator, denominator), a "提升 N%" needs a base and a period, and a
feeling (积极性, 方便度) has no count at all — even when a number is written."""
from __future__ import annotations

import re

from ...model.indicator import QUANTITY
from .. import names
from ..registry import BASIC, Example, project, rule, social

# What a percentage can be a share of: the name has to say so (…率, …比例, …覆盖面).
# "…水平" in % is a published statistic (居民健康素养水平, 城镇化水平).
# "…合规性 =100%" (资金使用合规性) is read as "fully compliant" by every reviewer.
_RATIO_WORD = re.compile(r"率|比|度|指数|百分|覆盖|占|份额|幅|达标|合格|水平|(?:合规|完整|规范|准确|及时|有效|安全)性$")
# Feelings and qualities with no numerator and denominator (satisfaction and awareness
# are measured by survey and are fine; these are not).
_ABSTRACT = re.compile(r"积极性|主动性|自觉性|方便度|便利度|便捷度|便捷性|获得感|幸福感|安全感|认同感|满足感|归属感"
                       r"|活跃度|影响力|影响程度|氛围|意识|素质|面貌|安居乐业|健康发展|总体质量|精神")
# A comparison with no stated base: "较往年提升", "逐年提高"; a name that is itself a
# change ("…提升", "…提高率") rather than a noun that merely contains the word (增长机制).
_NO_BASE = re.compile(r"往年|以往|历年|逐年|过去")
_CHANGE = re.compile(r"(?:提升|提高|增长|增加|下降|减少|降低)(?:率|幅度|比例)?$|^(?:提升|提高|增加)")
_CHANGE_VALUE = re.compile(r"(?:较上年|比上年|同比)?(?:提高|提升|增长|增加|降低|下降|减少|缩短|压缩)\s*\d+(?:\.\d+)?\s*(?:%|个百分点)")
# "…改善率 ≥90%": what counts as improved is nowhere defined, nor against what.
_IMPROVE = re.compile(r"(?:改善|改观|优化|增强|提质)(?:率|比例|程度)$")
# Where a base or a formula could be stated.
_BASE_STATED = re.compile(r"\d{4}\s*年|基数|基期|上年|上一年|计算|公式|/|÷|分子|分母")


def _reasons(it) -> list[str]:
    t = it.t
    core = it.core
    out: list[str] = []
    m = _ABSTRACT.search(core)
    if m:
        out.append(f"“{m[0]}”是一种状态或感受, 没有可统计的分子和分母")
    explained = " ".join(x for x in (it.ind.explanation, it.ind.criteria, it.ind.basis) if x)
    change = "growth" in it.kinds and (_NO_BASE.search(core) or _CHANGE.search(core))
    if change and not _BASE_STATED.search(explained) and \
            (_NO_BASE.search(core) or not core.endswith(("率", "比例", "幅度")) or m):
        out.append("没有写明比较的基数和时期 (较哪一年、以什么为基数提升)")
    elif (imp := _IMPROVE.search(core)) and not _BASE_STATED.search(explained):
        out.append(f"“{imp[0]}”没有标准: 什么算{imp[0][:2]}、与哪一年相比, 都没有写明")
    if not out and not _RATIO_WORD.search(core) and not change:
        out.append(f"名称不是比率, 说不清“{t.text.strip()}”是什么占什么的比例")
    phrase = names.vague_phrase(core)
    if phrase and out:
        out.append(f"名称用了含糊的“{phrase}”")
    return out


@rule("V-UNMEASURABLE", "warning", title="目标无法衡量", refines="R11",
      supersedes=("V-OP-MISSING", "V-RATE-IN-QUANTITY", "R15", "V-VAGUE", "V-QUAL-UNGRADED"),
      checks="以百分比表示的目标要能计算: 名称应是比率 (…率、…占比), 不能是职责或事项 (“履行法定职责 =100%”"
             "“日常办公正常运转 =100%”); “积极性”“方便度”“获得感”等感受没有分子和分母 (“积极性提升率 ≥95%”"
             "“方便度 =100%”); “较往年提升 10%”要写明基数和时期。即使写了数值, 名称含糊 (“持续提升”) 也同样提示。"
             "同一指标上的未写符号、比率放在数量下等问题并入本条。",
      why="量化易评 (财预〔2021〕101号): 到年底算不出来的百分比只能凭感觉打分, 自评时无法核实; "
          "审核时这类目标要求改为可统计的比率或数量。",
      fails=Example(project(*BASIC, social("群众办事方便度", "=100%"), social("履行法定职责", "=100%"),
                            social("干部干事创业积极性较往年提升", "10%"))),
      passes=Example(project(*BASIC, social("政务服务事项网上可办率", "≥90%"),
                             social("农民人均可支配收入增长率", "≥6%"))))
def unmeasurable(ctx):
    for it in ctx.items:
        t = it.t
        if t is not None and t.kind == "qualitative" and _CHANGE_VALUE.fullmatch(t.text.strip()) \
                and not re.match(r"较上年|比上年|同比", t.text.strip()):     # "同比下降10%" names its base
            # "提高30%" written as the value: a change with no base, the same defect.
            base = f"{ctx.sheet.year - 1}年" if ctx.sheet.year else "上年"
            yield ctx.at(it, "target", f"“{it.name}”的目标“{t.text.strip()}”无法衡量: 没有写明比较的基数和时期 "
                                       "(较哪一年、以什么为基数)",
                         f"写明基数和计算方法, 如“较{base}实际值{t.text.strip()}”, 或直接写目标数值 (如“≥…”)")
            continue
        if t is None or t.kind not in ("quantity", "range") or it.family != "percent" or not it.core:
            continue
        if "satisfaction" in it.kinds or "fund_rate" in it.kinds:
            continue                       # surveys (R14) and budget execution (R18) have their own rules
        reasons = _reasons(it)
        if not reasons:
            continue
        if it.l2 == QUANTITY:
            hint = f"数量指标写完成了多少: 把“{t.text.strip()}”改为“{it.core}”的具体数量 (件、次、个等) 及比较符号"
        elif "growth" in it.kinds and _CHANGE.search(it.core) and not _ABSTRACT.search(it.core):
            base = f"{ctx.sheet.year - 1}年" if ctx.sheet.year else "上年"
            value = t.text.strip().lstrip("=≥≤><")
            hint = f"写明基数和计算方法, 如“以{base}实际值为基数, 提高{value}”, 并补写比较符号"
        else:
            hint = (f"改为可统计的比率或数量 (写明分子和分母), 如“{it.core}”对应的完成件数、覆盖人数, "
                    "或经问卷调查的满意度")
        if t.op is None and "比较符号" not in hint:
            hint += "; 并写明比较符号 (≥、≤ 或 =)"
        yield ctx.at(it, "target", f"“{it.name}”的目标“{t.text.strip()}”无法衡量: " + "; ".join(reasons), hint)

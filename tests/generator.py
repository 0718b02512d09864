"""Known sheets rendered into garbled text, with their expert reading (gold).

Test corpus for the text importer (``jixiao.importers.formats.text.import_text``). Every
document is produced from a known :class:`~jixiao.model.sheet.Sheet`, so the
gold answer is exact. Pure Python, deterministic given a ``random.Random``,
and fast (a few hundred sheets per second).

API
---
``make_sheet(rng, *, kind='department'|'project', regime='classic'|'2021', functions=None)``
    A realistic random sheet (header, overview, goals, functions, indicators).
``render_tab(sheet, rng, noise, stats=None, *, numbering=None)``
    Text shaped like the seed: tab-separated cells, merged-cell labels printed on
    one row of their span, leading empty cells sometimes dropped. ``stats`` (a dict)
    is filled with what was printed; ``numbering`` forces 'group'/'run'/'absent'.
``render_layout(sheet, rng, noise, stats=None, *, numbering=None)``
    Text shaped like ``pdftotext -layout``: space-aligned columns (CJK width 2),
    wrapped names and descriptions, page breaks with footers and repeated headers.
``gold_of(sheet, facts)``
    ``sheet_to_dict`` of the known sheet, with the descriptions the rendering
    lost set to None (``facts`` is the ``stats`` dict a renderer filled).
``sample(rng, noise, layout, *, kind=None, regime=None, functions=None, numbering=None) -> Sample``
    ``Sample(text, gold, facts, sheet, layout, noise)``; kind 65% department, regime 60% classic.
``corpus(n, noise, *, seed=0, layouts=('tab', 'layout'))`` -> ``[(text, gold)]``
``samples(n, noise, *, seed=0, layouts=...)`` -> ``[Sample]`` (with facts and sheet).
``aggregate(stats_list)``
    Sums the counters of many ``stats`` dicts and adds the realised rates.
``phenomenon_sample(rng, phenomenon, level, layout='tab'|'layout'|'pipe')``, ``phenomenon_samples(n, phenomenon, level, *, seed=0)``
    Real-world phenomena (issue 12), a corpus apart from the noise levels (own random
    streams; the renderers above print exactly what they printed before):
    ``PHENOMENA`` at ``PHENOMENON_LEVELS`` 1-3, on noise-0 sheets, with the gold adjusted
    (a truncated last row or the rows before an excerpt's start left out, header fields
    None when the text has none, unit-only cells as placeholder targets, names simplified
    and free of furniture). ``render_pipe`` prints the ``a | b |`` tables they also use.
    ``collapsed`` (layout ``collapsed``) is a form whose whitespace was lost, printed by
    ``tests/collapsed_forms.collapse``: level 1 each row a line of its own with its cells run
    together, level 2 the whole form one run of text, level 3 one run with one value column per
    town (``by_place``) or a self-evaluation's weights, actual values and scores.

Noise levels (both renderers)
-----------------------------
0. labels on the top row of their span, ``指标N`` numbering restarting per group,
   nothing missing.
1. labels on the top, middle or bottom row of their span (layout: the span's
   vertical centre when that falls in the chosen row).
2. plus ~18% of labels displaced 1-3 rows outside their span, ~5% of 一级/二级
   labels missing, the function column missing for ~10% of function blocks,
   numbering run-on or absent in ~15% of sheets.
3. ~36% of 一级/二级/function labels displaced 1-4 rows (into a neighbouring group
   or function, or onto a line after the table), ~11% of 一级/二级 labels missing,
   the function column missing for ~23% of function blocks (gold description
   None), ~30% of function labels printed after their block, numbering absent in
   25% of sheets (exactly, in :func:`samples`, which with ``numbering_mix=LEVEL3_RUN_ON``
   also makes it run on in another 25%; drawn at 33%/33% when a renderer is called
   alone), 满意度 二级 variants (服务对象满意度指标,
   社会公众或服务对象满意度指标, bare 满意度指标) and 环境效益指标 for 生态效益.

Labels of one column keep their order when displaced (text extraction sorts a
column by height, so a label never jumps over another label of its column), as
in the seed. In layout text a description never overlaps the one above it, so a
displaced one is now and then pushed 5-6 rows from its block (under 1% of them). At every
level the tab renderer drops leading empty cells of some rows (columns shift left, a
trailing tab appears), as in the seed.

Names: ~15% give no hint of their 二级 ("uncued": 日常办公正常运转, 落实…责任制,
drawn under 效益/质量/数量/时效 as in real sheets, never under 满意度 or 成本), ~5% are
filed under a 二级 their wording contradicts ("misleading": …人数 under 质量,
…满意度 under 社会效益, …及时率 under 质量). ``Indicator.extra['cue']`` records which
(``cued`` / ``uncued`` / ``misleading``); :func:`gold_of` drops it.

The rates are *realised* rates: a renderer fills ``stats`` with what it actually
printed (keeping the column order can move a label back inside its span or further
down), and ``tests/test_generator.py`` checks them.

``stats`` keys (counters unless said otherwise): ``labels`` ->
``{'l1'|'l2'|'func': {'total', 'missing', 'displaced', 'in_span', 'top', 'middle',
'bottom', 'after_block', 'max_offset'}}`` (max_offset: the farthest, in rows, a label
landed from its span), ``function_blocks``, ``functions_lost``,
``lost_functions`` (list of function indices whose ``职能N`` cell is gone),
``numbering`` ('group' | 'run' | 'absent'), ``sheets``, ``rows``,
``level2_variants`` ({printed text: count}), ``shifted_rows`` (tab),
``wrapped_names``, ``pages``, ``reprinted_labels`` (layout), ``columns`` (layout:
{column: [x0, x1)} in display cells), ``ambiguous_rows`` (rows next to a group
boundary that neither numbering nor a 二级 label on the group's first row marks and
whose name is uncued or misleading: a rough measure of what no reader can recover),
``kind``, ``layout``, ``noise`` (and ``regime``, added by :func:`sample`).
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from jixiao.model.codec import sheet_to_dict
from jixiao.model.indicator import (
    CLASSIC,
    COST2,
    ECO_COST,
    ECOLOGICAL,
    ECON_COST,
    ECONOMIC,
    OUTPUT,
    QUALITY,
    QUANTITY,
    RECIPIENT,
    REGIME_2021,
    SOCIAL,
    SOCIAL_COST,
    SUSTAINABLE,
    TIMELINESS,
    Category,
)
from jixiao.model.sheet import Function, Indicator, Sheet
from jixiao.model.target import parse_target

__all__ = ["make_sheet", "render_tab", "render_layout", "gold_of", "sample", "samples", "corpus",
           "aggregate", "Sample", "NOISE_LEVELS", "display_width"]

NOISE_LEVELS = (0, 1, 2, 3)
_parse = lru_cache(maxsize=1 << 16)(parse_target)


# ---------------------------------------------------------------------------
# small helpers

@lru_cache(maxsize=1 << 16)
def display_width(s: str) -> int:
    """Terminal width: East Asian wide/full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _w(rng: random.Random, pairs):
    """Weighted choice from ``[(item, weight), ...]``."""
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for item, w in pairs:
        r -= w
        if r < 0:
            return item
    return pairs[-1][0]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def _nice(rng: random.Random, lo: float, hi: float) -> float:
    x = rng.uniform(lo, hi)
    if hi <= 30:
        return round(x)
    if hi <= 200:
        return round(x)
    step = 10 if hi <= 2000 else 50 if hi <= 10000 else 100
    return max(round(x / step) * step, step)


# ---------------------------------------------------------------------------
# vocabularies (objects x measures, composed per 二级)

_OP_SURFACES = {
    "≥": [("≥", 40), ("≧", 16), (">=", 5), ("＞＝", 1), ("不低于", 5), ("不少于", 4), ("达到", 2)],
    "=": [("=", 60), ("＝", 14), ("﹦", 6), ("等于", 1)],
    "≤": [("≤", 55), ("≦", 8), ("<=", 5), ("不超过", 7), ("不高于", 4)],
    ">": [(">", 70), ("＞", 20), ("高于", 5), ("超过", 5)],
    "<": [("<", 75), ("＜", 15), ("低于", 10)],
}


def _val(rng: random.Random, num: float, unit: str, ops) -> str:
    """A 指标值 text: operator surface (10% none) + number + unit."""
    op = _w(rng, ops)
    body = _fmt(num) + unit
    if rng.random() < 0.10:
        return body
    surface = _w(rng, _OP_SURFACES[op])
    return surface + (" " if rng.random() < 0.02 else "") + body


_COUNT_OPS = [("=", 45), ("≥", 50), (">", 5)]
_RATE_OPS = [("≥", 70), (">", 5), ("=", 25)]
_COST_OPS = [("≤", 85), ("=", 10), ("<", 5)]


def _count(rng, unit, lo, hi):
    return _val(rng, _nice(rng, lo, hi), unit, _COUNT_OPS)


def _rate(rng, lo=85, hi=100, full=0.45):
    if rng.random() < full:
        return _val(rng, 100, "%", [("=", 60), ("≥", 40)])
    return _val(rng, rng.choice([v for v in (80, 85, 90, 92, 95, 96, 97, 98, 99) if lo <= v <= hi] or [hi]),
                "%", _RATE_OPS)


def _money(rng, unit, lo, hi, ops=_COST_OPS, decimals=0.3):
    x = rng.uniform(lo, hi)
    x = round(x, rng.choice((1, 2))) if rng.random() < decimals else _nice(rng, lo, hi)
    return _val(rng, x, unit, ops)


_ACTS = ["开展党日活动", "召开专题会议", "组织安全生产检查", "开展政策宣传", "组织应急演练", "开展督导检查",
         "举办业务培训", "开展巡河巡查", "开展森林防火巡查", "开展食品安全抽检", "开展消防安全检查",
         "组织文艺汇演", "开展普法宣传", "召开村民代表大会", "开展入户走访", "组织义诊", "开展环境卫生整治",
         "开展防溺水宣传", "召开党委理论学习中心组学习", "开展专项整治", "开展矛盾纠纷排查",
         "召开人代会", "开展征兵宣传", "组织民兵训练", "开展地质灾害隐患排查"]
_ACT_TOPICS = ["文化惠民", "全民健身", "送戏下乡", "志愿服务", "科普宣传", "禁毒宣传", "法治宣传", "敬老爱老",
               "文体", "主题党日", "新时代文明实践", "健康教育", "防灾减灾"]
_PEOPLE = ["村干部报酬保障", "临聘", "享受低保", "特困供养", "资助学生", "慰问困难群众", "参训", "救助",
           "在岗公益性岗位", "享受高龄津贴", "残疾人两项补贴发放", "退役军人优待抚恤", "劳动力转移就业",
           "新增城镇就业", "家庭医生签约", "保障监委和小组长报酬", "社会综合治理覆盖", "参加体检",
           "义务教育阶段在校生", "网格员配备", "应享受补贴的干部职工"]
_SUBSIDIES = ["耕地地力保护", "农机购置", "高龄津贴", "残疾人生活", "困难群众临时", "生态护林员", "村干部生活",
              "计划生育奖励扶助", "退役士兵", "义务教育营养改善", "孤儿基本生活"]
_TRAIN = ["党员干部", "农村实用技术", "新型职业农民", "安全生产", "消防安全", "卫生健康", "创业就业技能",
          "网格员业务", "村级财务人员", "教师", "乡村医生", "应急救援"]
_THINGS = [("村", "个", 5, 40), ("团组织", "个", 5, 40), ("建设项目", "个", 2, 30), ("监测点位", "个", 3, 50),
           ("检查企业", "家", 10, 300), ("卫生室", "所", 2, 20), ("宣传资料", "份", 500, 20000),
           ("信访案件办结", "件", 10, 500), ("行政审批事项办理", "件", 100, 5000), ("图书", "册", 500, 20000),
           ("受理案件", "件", 20, 800), ("农户", "户", 50, 3000), ("帮扶对象", "户", 20, 800)]
_FACILITIES = [("公厕", "座", 1, 30, ["新建", "改造", "维修"]), ("路灯", "盏", 10, 500, ["安装", "维修", "更换"]),
               ("村级活动场所", "个", 1, 20, ["新建", "改造"]), ("饮水工程", "处", 1, 30, ["新建", "维修"]),
               ("农村公路", "公里", 2, 60, ["硬化", "养护", "新建"]), ("排水沟渠", "米", 200, 5000, ["新建", "疏通"]),
               ("垃圾收集点", "个", 5, 120, ["新建", "设置"]), ("文化广场", "个", 1, 12, ["新建", "改造"]),
               ("便民桥", "座", 1, 8, ["新建", "维修"]), ("监控点位", "个", 5, 200, ["安装", "新建"]),
               ("高标准农田", "亩", 500, 20000, ["建设", "新建"]), ("坡面水标尺", "米", 50, 400, ["安装"]),
               ("校舍", "平方米", 300, 8000, ["维修", "改造"]), ("护林防火道", "公里", 2, 40, ["维修", "新建"])]

_QUAL_OBJ = ["发放资金对象的", "补贴发放对象", "工程验收", "项目(工程)验收", "培训", "报告", "资金使用", "档案管理",
             "信息报送", "设备运行", "食品抽检", "饮用水水质", "会议组织", "数据录入", "台账资料", "政策执行",
             "采购程序", "考核评估", "巡查记录", "维修工程", "经费发放", "整治", "公厕建设", "课堂教学",
             "路面养护", "党员发展", "监测数据"]
_QUAL_SUF = ["合格率", "合格率", "达标率", "准确率", "规范率", "完好率", "合规率", "验收合格率", "优良率"]
_TIME_OBJ = ["资金拨付", "补贴发放", "项目", "工程", "信息报送", "信访事项", "政务服务事项", "报酬发放",
             "培训任务", "问题整改", "应急响应", "政府采购", "资料归档", "工资发放", "经费拨付", "案件办理"]
_TIME_SUF = ["及时率", "按期完成率", "完成及时率", "办结及时率", "到位及时率", "按时发放率"]
_COST_OBJ = ["项目总", "培训", "维修", "设备购置", "宣传", "运行维护", "办公", "会议", "物业管理", "公务用车运行",
             "人大代表活动", "村级组织运转", "绿化养护", "保洁", "印刷", "监测"]
_CROPS = ["水稻", "玉米", "小麦", "油菜", "马铃薯", "茶叶", "中药材", "蔬菜"]
_SUBJ = ["受益群众", "服务对象", "参训人员", "学生家长", "村民", "企业", "机关干部", "辖区群众", "社会公众", "患者",
         "老年人", "受助对象", "脱贫户", "群众", "村(居)民", "学生", "人民群众", "干部职工", "参保群众"]
_SAT_OF = ["社会综合治理工作", "人大工作", "党日活动", "报酬兑现", "文化活动", "便民服务", "政务服务", "村容村貌",
           "食堂保障", "医疗服务", "救助工作", "培训内容", "工程质量", "监委会和小组长工作成效"]
_ECON_SUBJ = ["农户", "脱贫户", "村集体", "合作社", "务工人员", "种植户", "养殖户", "农民"]
_UNCUED_FIXED = [
    "履行宪法和法律赋予的职责", "日常办公正常运转", "完成上级交办任务", "各项工作有序推进",
    "分类、入库、整理档案资料", "开展便民活动、基础设施等", "对妇女、青少年儿童权益的保障", "征兵政策家喻户晓",
    "建立健全村干部报酬正常增长机制", "重点工作任务完成情况", "干部职工正常上班时间用餐方便度",
    "人大代表为全镇经济社会发展持续建言献策的积极性较往年提升。", "促进本村各项事业持续健康发展, 人民群众安居乐业",
    "辖区安全指数较往年持续提升", "征兵工作完成情况、民兵训练情况", "提高社会治理服务中心利用便捷性",
    "全年各项重点工作任务", "食品卫生安全", "机关运行保障", "“放管服”改革持续深化",
]
_UNCUED_VERBS = ["落实", "推进", "保障", "加强", "完善", "做好", "规范", "深化", "巩固", "提升"]
_UNCUED_TOPICS = ["党风廉政建设责任制", "意识形态工作责任制", "基层党组织标准化建设", "人居环境整治", "村级组织建设",
                  "惠民政策", "安全生产责任", "河长制工作", "网格化管理", "政务公开工作", "民生实事", "乡村振兴",
                  "基层治理", "双拥共建", "作风建设", "营商环境", "“三务”公开", "联系服务群众"]
_UNCUED_VALUES = [("=100%", 25), ("≥95%", 10), ("100%", 6), ("≧90%", 6), ("有效落实", 8), ("完成", 6),
                  ("达到预期", 6), ("有所提升", 6), ("10%", 3), ("全面完成", 4), ("按要求完成", 3), ("持续推进", 3)]


def _g_qty(rng):
    k = rng.randrange(11)
    if k == 0:
        return rng.choice(_ACTS) + rng.choice(["次数", "次数", "频次"]), _count(rng, "次", 1, 60)
    if k == 1:
        return f"开展{rng.choice(_ACT_TOPICS)}活动场次", _count(rng, rng.choice(["场", "场次"]), 2, 60)
    if k == 2:
        return rng.choice(_PEOPLE) + "人数", _count(rng, "人", 5, 3000)
    if k == 3:
        return f"发放{rng.choice(_SUBSIDIES)}补贴人数", _count(rng, rng.choice(["人", "人", "户"]), 20, 5000)
    if k == 4:
        return f"{rng.choice(_TRAIN)}培训人次", _count(rng, rng.choice(["人次", "人次", "人/次"]), 50, 10000)
    if k == 5:
        thing, unit, lo, hi = rng.choice(_THINGS)
        return thing + rng.choice(["数量", "数", "个数"]), _count(rng, unit, lo, hi)
    if k == 6:
        fac, unit, lo, hi, verbs = rng.choice(_FACILITIES)
        return rng.choice(verbs) + fac + rng.choice(["", "数量", "规模", ""]), _count(rng, unit, lo, hi)
    if k == 7:
        return f"举办{rng.choice(_TRAIN)}培训班期数", _count(rng, "期", 1, 20)
    if k == 8:
        return f"印发{rng.choice(['宣传资料', '政策明白卡', '宣传手册'])}份数", _count(rng, "份", 500, 20000)
    if k == 9:
        n = rng.randint(3, 40)
        name = rng.choice([f"{n}个村“两委”在职人数", f"{n}个行政村“两委”干部人数", f"覆盖{n}个村(社区)的网格数"])
        return name, _count(rng, "人" if name.endswith("人数") else "个", 20, 300)
    return f"{rng.choice(_ACT_TOPICS)}活动参加人数", _count(rng, rng.choice(["人次", "人/次", "人"]), 100, 8000)


def _g_qual(rng):
    k = rng.randrange(6)
    if k <= 3:
        return rng.choice(_QUAL_OBJ) + rng.choice(_QUAL_SUF), _rate(rng, 90)
    if k == 4:
        return (rng.choice(["经费支出合规性", "资金使用合规性", "采购程序规范性", "档案资料完整性"]),
                _w(rng, [("严格执行相关制度规定", 2), ("符合相关规定", 2), ("=100%", 2), ("规范", 1)]))
    return (rng.choice(["“双随机、一公开”抽查完成率", "“三公”经费使用规范率", "工程(项目)质量达标率",
                        f"{rng.choice(_TRAIN)}培训考核合格率"]), _rate(rng, 90))


def _deadline(rng):
    return _w(rng, [("12月31日前", 5), (f"{rng.randint(6, 12)}月{rng.choice([10, 15, 20, 25, 30])}日前", 3),
                    ("12月底前", 3), (f"{rng.randint(6, 11)}月底前完成", 2), ("按月", 1), ("按季度", 1),
                    ("年底前完成", 2), ("在项目计划完成时间内完成", 1)])


def _g_time(rng):
    k = rng.randrange(6)
    if k <= 2:
        return rng.choice(_TIME_OBJ) + rng.choice(_TIME_SUF), _rate(rng, 90, full=0.6)
    if k <= 4:
        return rng.choice(_TIME_OBJ) + rng.choice(["完成时间", "完成时限", "发放时间", "截止时间"]), _deadline(rng)
    unit, lo, hi = rng.choice([("天", 3, 60), ("个工作日", 3, 20), ("小时", 2, 48), ("个月", 1, 12)])
    return (rng.choice(_TIME_OBJ) + rng.choice(["办理时限", "办结时限", "响应时间", "周期"]),
            _val(rng, _nice(rng, lo, hi), unit, [("≤", 85), ("<", 10), ("=", 5)]))


def _g_cost(rng):
    k = rng.randrange(8)
    if k <= 2:
        return rng.choice(_COST_OBJ) + rng.choice(["成本", "经费", "支出"]), _money(rng, "万元", 1, 300)
    if k == 3:
        return (f"人均{rng.choice(['培训', '会议', '体检', '救助'])}成本",
                _money(rng, rng.choice(["元/人", "元/人", "元"]), 50, 1500))
    if k == 4:
        return (f"{rng.choice(['村干部', '人大代表', '公益性岗位', '特困人员', '护林员'])}"
                f"{rng.choice(['补助标准', '生活补助', '报酬标准'])}",
                _money(rng, rng.choice(["元", "元/人·月", "元/人", "元/月"]), 60, 3000, ops=[("=", 60), ("≤", 40)]))
    if k == 5:
        return f"每亩{rng.choice(_CROPS)}补贴标准", _money(rng, "元/亩", 50, 1600)
    if k == 6:
        return (rng.choice(["道路硬化", "校舍维修", "绿化", "外墙改造", "农田整治"]) + "单价",
                _money(rng, rng.choice(["元/平方米", "元/米", "元/亩"]), 50, 800))
    return (rng.choice(["享受人大补助", "“三公”经费支出", "财政资金补助", "项目计划总投资"]),
            _money(rng, rng.choice(["元", "万元"]), 20, 900))


def _g_econ(rng):
    k = rng.randrange(7)
    if k <= 1:
        return f"带动{rng.choice(_ECON_SUBJ)}增收", _money(rng, "万元", 2, 200, ops=[("≥", 90), (">", 10)])
    if k == 2:
        return f"{rng.choice(_ECON_SUBJ)}户均增收", _money(rng, "元", 500, 5000, ops=[("≥", 100)], decimals=0)
    if k == 3:
        return (f"{rng.choice(_CROPS)}{rng.choice(['产值', '产业产值'])}",
                _money(rng, "万元", 20, 2000, ops=[("≥", 100)]))
    if k == 4:
        return f"节约{rng.choice(_COST_OBJ)}资金", _money(rng, "万元", 1, 80, ops=[("≥", 100)])
    if k == 5:
        return f"年增{rng.choice(_CROPS)}产量", _count(rng, rng.choice(["公斤", "吨"]), 100, 5000)
    return (rng.choice(["村集体经济收入增长率", "农民人均可支配收入增长率", "带动就业增收"]),
            _w(rng, [(_val(rng, rng.randint(3, 15), "%", [("≥", 100)]), 3), ("有所增加", 1), ("稳步增长", 1)]))


def _g_soc(rng):
    k = rng.randrange(9)
    if k <= 1:
        return (rng.choice(["政策", "惠民政策", "群众安全知识", "防诈骗知识", "医保政策", "征兵政策", "普法",
                            "垃圾分类"]) + "知晓率", _rate(rng, 80, full=0.15))
    if k == 2:
        return (rng.choice(["义务教育资助", "家庭医生签约服务", "城乡居民养老保险", "网格化管理", "党员教育培训",
                            "公共法律服务", "社会救助"]) + "覆盖率", _rate(rng, 85))
    if k == 3:
        return (f"保障{rng.choice(['机关', '村级组织', '学校', '卫生院', '单位', '基层政权'])}正常运转",
                _w(rng, [("有效保障", 3), ("=100%", 3), ("应保尽保", 2), ("正常运转", 1)]))
    if k == 4:
        return (rng.choice(["基层治理", "公共服务", "群众生活", "村级组织服务", "社会治理", "文明程度"]) + "水平",
                _w(rng, [("有所提升", 3), ("明显提升", 2), ("逐步提高", 2), ("效果明显", 1)]))
    if k == 5:
        return (rng.choice(["安全生产事故", "重大刑事案件", "校园安全事故", "群体性事件"]) + "发生率",
                _w(rng, [(_val(rng, rng.choice([0, 1, 2, 5]), "%", [("≤", 80), ("<", 20)]), 3), ("下降", 1)]))
    if k == 6:
        return (f"群众{rng.choice(['安全', '法治', '环保', '防灾减灾', '卫生健康'])}意识",
                _w(rng, [("明显增强", 3), ("有所提升", 2), ("逐步提高", 1)]))
    if k == 7:
        return (f"受益{rng.choice(['脱贫人口', '困难群众', '学生', '农户', '群众'])}人数",
                _count(rng, rng.choice(["人", "人次"]), 100, 20000))
    return (rng.choice(["社会治安满意率提升", "群众办事便利度", "矛盾纠纷调解成功率", "信访案件化解率",
                        "适龄儿童入学率"]), _rate(rng, 85))


def _g_eco(rng):
    k = rng.randrange(7)
    if k == 0:
        return rng.choice(["森林覆盖率", "绿化覆盖率", "林草覆盖率"]), _val(rng, rng.randint(30, 75), "%", [("≥", 100)])
    if k == 1:
        return "空气质量优良天数比例", _val(rng, rng.choice([80, 85, 90, 95]), "%", [("≥", 100)])
    if k == 2:
        return (rng.choice(["生活垃圾", "畜禽粪污", "病死畜禽"]) + "无害化处理率", _rate(rng, 85))
    if k == 3:
        return rng.choice(["集中式饮用水水源地", "河道断面", "出境断面"]) + "水质达标率", _rate(rng, 90)
    if k == 4:
        return (rng.choice(["农村人居环境", "河湖生态环境", "村容村貌", "生态环境质量"]),
                _w(rng, [("明显改善", 3), ("逐步改善", 2), ("效果明显", 1)]))
    if k == 5:
        return f"新增和改善{rng.choice(['灌溉', '排水', '造林', '水土保持'])}面积", _count(rng, "亩", 100, 5000)
    return rng.choice(["秸秆", "农膜", "畜禽粪污"]) + "综合利用率", _rate(rng, 80)


def _g_sust(rng):
    k = rng.randrange(5)
    topic = rng.choice(["村级组织运转保障", "人居环境管护", "基层治理", "农村公路养护", "饮水工程运行管护",
                        "教育资助", "社会救助", "村干部报酬正常增长", "网格化服务管理"])
    if k <= 1:
        return topic + rng.choice(["长效机制", "长效机制建立", "长效管护机制"]), _w(
            rng, [("持续发挥作用", 3), ("建立健全", 2), ("长期", 2), ("逐步完善", 1)])
    if k == 2:
        return "工程设计使用年限", _val(rng, rng.choice([10, 15, 20, 30]), "年", [("≥", 100)])
    if k == 3:
        return f"{topic}持续发挥作用年限", _val(rng, rng.choice([3, 5, 10]), "年", [("≥", 100)])
    return f"对{topic}的持续影响", _w(rng, [("持续发挥作用", 2), ("长期", 2), ("效果明显", 1)])


def _g_sat(rng):
    if rng.random() < 0.6:  # (never exactly a 二级 name: 服务对象满意度)
        name = rng.choice([x for x in _SUBJ if x != "服务对象"]) + "满意度"
    else:
        name = f"{rng.choice(_SUBJ)}对{rng.choice(_SAT_OF)}{rng.choice(['的满意度', '满意度'])}"
    return name, _w(rng, [(_val(rng, rng.choice([85, 90, 90, 95, 95, 97, 98]), "%", [("≥", 85), (">", 15)]), 9),
                          (_val(rng, 100, "%", [("=", 100)]), 1)])


def _g_scost(rng):
    pre = rng.choice(["", "", "施工期间", "项目实施期间", "作业"])
    k = rng.randrange(6)
    if k == 0:
        return pre + "扬尘超标次数", _val(rng, 0, "次", [("≤", 70), ("=", 30)])
    if k == 1:
        return pre + "群众投诉次数", _val(rng, rng.choice([0, 1, 2, 3, 5]), rng.choice(["次", "件"]), [("≤", 100)])
    if k == 2:
        return pre + "安全生产事故发生次数", _val(rng, 0, "次", [("=", 70), ("≤", 30)])
    if k == 3:
        return "对周边居民生活的影响", _w(rng, [("无明显影响", 2), ("影响较小", 1)])
    if k == 4:
        return "因项目实施引发的信访事件", _val(rng, 0, rng.choice(["件", "起"]), [("=", 100)])
    return pre + "交通拥堵投诉", _val(rng, rng.choice([1, 2, 3]), "次", [("≤", 100)])


def _g_ecocost(rng):
    pre = rng.choice(["", "", "施工"])
    k = rng.randrange(6)
    if k == 0:
        return pre + "废弃物违规排放次数", _val(rng, 0, "次", [("≤", 70), ("=", 30)])
    if k == 1:
        return pre + "植被破坏面积", _val(rng, 0, "平方米", [("≤", 100)])
    if k == 2:
        return "对生态环境的影响", _w(rng, [("无负面影响", 2), ("无明显影响", 1)])
    if k == 3:
        return pre + "噪声超标次数", _val(rng, 0, "次", [("=", 100)])
    if k == 4:
        return "水土流失面积", _val(rng, 0, "平方米", [("≤", 100)])
    return "环境污染事件", _val(rng, 0, "起", [("=", 100)])


def _g_uncued(rng):
    if rng.random() < 0.45:
        name = rng.choice(_UNCUED_FIXED)
    else:
        name = rng.choice(_UNCUED_VERBS) + rng.choice(_UNCUED_TOPICS) + rng.choice(["", "", "工作", "情况"])
    return name, _w(rng, _UNCUED_VALUES)


_GEN = {"qty": _g_qty, "qual": _g_qual, "time": _g_time, "cost": _g_cost, "econ": _g_econ, "soc": _g_soc,
        "eco": _g_eco, "sust": _g_sust, "sat": _g_sat, "scost": _g_scost, "ecocost": _g_ecocost}
_KEY = {QUANTITY: "qty", QUALITY: "qual", TIMELINESS: "time", COST2: "cost", ECON_COST: "cost",
        ECONOMIC: "econ", SOCIAL: "soc", ECOLOGICAL: "eco", SUSTAINABLE: "sust", RECIPIENT: "sat",
        SOCIAL_COST: "scost", ECO_COST: "ecocost"}
# Names drawn from the wrong vocabulary, the way real sheets file them (seed: a …人数 under 质量,
# a …满意度 under 社会效益, a …及时率 under 质量).
_MISLEAD = {"qty": ["qual"], "qual": ["qty", "time"], "time": ["qual"], "soc": ["sat", "qty"],
            "sust": ["soc"], "eco": ["soc"], "econ": ["soc"], "sat": ["soc"], "cost": ["qty"],
            "scost": ["soc"], "ecocost": ["eco"]}

# Uncued names (no hint of their 二级) are drawn where real sheets have them: generic 保障/落实/完成
# phrasing under 效益 and 质量, now and then under 数量/时效; never under 满意度 or the 成本 groups
# (their names say 满意度 / 成本, as in every sheet seen). Overall about 15% of names.
P_UNCUED = {"qty": 0.14, "qual": 0.25, "time": 0.08, "cost": 0.0, "econ": 0.10, "soc": 0.33, "eco": 0.12,
            "sust": 0.28, "sat": 0.0, "scost": 0.0, "ecocost": 0.0}
P_MISLEAD = 0.05
_SCOPES = ["全镇", "全县", "辖区内", "本年度", "项目区", "各村(社区)", "年度", "全年", "辖区", "全乡", "全局系统",
           "重点区域", "全县范围内", "镇村两级"]


def _indicator(rng, cat: Category) -> tuple[Indicator, str]:
    key = _KEY[cat.level2]
    r = rng.random()
    if r < P_UNCUED[key]:
        kind, (name, value) = "uncued", _g_uncued(rng)
    elif r < P_UNCUED[key] + P_MISLEAD:
        kind, (name, value) = "misleading", _GEN[rng.choice(_MISLEAD[key])](rng)
    else:
        kind, (name, value) = "cued", _GEN[key](rng)
    r = rng.random()
    if r < 0.3 and not name[0].isdigit() and not name.startswith(("对", "“")):
        name = rng.choice(_SCOPES) + name
    elif r > 0.96 and kind != "uncued":
        name += rng.choice(["(含临聘人员)", "(按年度计)", "(全年)", "(含结转项目)", "(累计)", "(含上年结转)"])
    return Indicator(level1=cat.level1, level2=cat.level2, name=name, target=_parse(value),
                     extra={"cue": kind}), kind


# ---------------------------------------------------------------------------
# sheets

_C1 = "潢青安平宁永丰兴长临富德和清云华东西南北泰汉"
_C2 = "源川阳山江水宁安城林州原河溪丰泉"
_T1 = "大石新龙白金马黄柳桃杨高"
_T2 = "华桥坪田湾坝岭塘庄集口寨"
_BUREAUS = {"教育局": ["第一中学", "实验小学", "职业技术学校", "教育事业服务中心"],
            "卫生健康局": ["人民医院", "疾病预防控制中心", "妇幼保健院"],
            "农业农村局": ["农业技术推广中心", "动物疫病预防控制中心", "农村经营管理站"],
            "民政局": ["社会福利院", "救助管理站"], "水利局": ["水利工程管理站", "水土保持站"],
            "自然资源局": ["不动产登记中心"], "交通运输局": ["农村公路管理所"], "文化和旅游局": ["图书馆", "文化馆"],
            "退役军人事务局": ["退役军人服务中心"], "应急管理局": ["应急救援大队"], "司法局": ["公共法律服务中心"],
            "林业局": ["国有林场", "林业技术推广站"], "人力资源和社会保障局": ["就业服务中心", "社会保险事业管理局"],
            "住房和城乡建设局": ["城市管理所"], "市场监督管理局": ["食品药品检验所"]}
_TOWN_OFFICES = ["党政综合办公室", "基层党建办公室", "经济发展办公室(挂土地管理服务中心牌子)",
                 "公共管理服务办公室(挂退役军人服务站牌子)", "社会治理办公室", "农业农村服务中心", "综合行政执法队",
                 "便民服务中心", "财政所", "应急管理办公室"]
_BUREAU_OFFICES = ["办公室", "政策法规股", "计划财务股", "业务发展股", "安全监管股", "综合服务中心", "人事股", "规划股",
                   "监督检查股", "行政审批股"]
_DUTIES = ["文电、机要、保密、信息、会务、档案、督办", "信访、绩效考评、财务、后勤保障、人事编制",
           "基层党建和党风廉政建设、纪检监察、思想宣传、意识形态", "精神文明建设、统一战线和民族宗教工作",
           "经济发展、商务、工业和信息化、自然资源管理", "村镇规划建设、林草管理、水利建设与管理",
           "教育、科技、文化、体育、民政、卫生健康", "医疗保障、养老服务、残疾人事务、就业创业",
           "退役军人服务、拥军优属及人民武装工作", "社会治安综合治理、网格化综合管理",
           "安全生产、应急管理、消防安全、食品药品监管", "生态环境保护、河湖长制、人居环境整治",
           "乡村振兴、农业产业发展、农村集体经济管理", "义务教育阶段学校的教育教学管理和质量监测",
           "学生资助政策落实、校园安全和后勤保障", "公共卫生、疾病预防控制和基本医疗服务",
           "农田水利、农村饮水安全和防汛抗旱", "城乡低保、特困供养、临时救助和社会福利",
           "宅基地审批管理、土地经营权流转及流转合同管理", "行政审批事项的组织实施和政务服务"]
_DESC_TEMPLATES = [
    "主要负责{a}等工作, 承担{b}等工作。",
    "承担{a}工作。负责{b}等相关工作, 指导{c}工作。",
    "负责{a}, 统筹协调{b}等工作。完成{boss}交办的其他任务。",
    "组织实施{a}等工作; 承担{b}工作, 指导辖区{c}工作。",
    "主要负责{a}等工作。承担{b}等日常管理工作。完成{boss}交办的其他任务。",
    "承担辖区内{a}等社会事务管理工作, 协助相关部门开展{b}等日常巡查监管工作。",
]
_GOAL_TEMPLATES = [
    "深入推进全面从严治党、党风廉政建设, 组织党员常态化学习, {x}全覆盖。",
    "有序开展{a}等民生工作, 营造良好的氛围。",
    "{a}工作不放松, 加强{b}力度, 提高{c}满意度。",
    "全面完成{a}各项任务, 确保{b}工作取得实效。",
    "保障机构正常运转, 提升{a}水平, 推动{b}高质量发展。",
    "按时足额发放各类补助资金, 确保{a}政策落实到位。",
]
_SHORT = ["乡村振兴", "卫生健康", "社会保障", "文体教育", "人居环境整治", "安全生产", "基层治理", "公共服务",
          "教育教学", "疾病防控", "农业产业", "生态保护", "厕所革命", "民生实事", "政务服务"]
_PROJECTS = ["高标准农田建设", "农村人居环境整治", "义务教育学生资助", "村级组织运转经费保障", "农村公路养护",
             "城乡居民医疗救助", "森林防火", "文化惠民工程", "残疾人两项补贴", "饮水安全巩固提升", "退役军人优抚",
             "基层党组织活动经费", "校舍维修改造", "基本公共卫生服务", "农业水价综合改革精准补贴", "委托业务",
             "工资性支出", "乡村振兴衔接资金", "河道综合治理", "政务服务中心运行"]


def _county(rng):
    return rng.choice(_C1) + rng.choice(_C2) + rng.choice("县县县区")


def _description(rng, boss: str) -> str:
    for _ in range(20):
        a, b, c = rng.sample(_DUTIES, 3)
        text = rng.choice(_DESC_TEMPLATES).format(a=a, b=b, c=c.split("、")[0], boss=boss).replace("工作工作", "工作")
        if rng.random() < 0.35 and boss not in text:
            text += f"完成{boss}交办的其他任务。"
        if 40 <= len(text) <= 200:
            return text
    return text[:200]


def _goal(rng) -> str:
    a, b, c = rng.sample(_SHORT, 3)
    return rng.choice(_GOAL_TEMPLATES).format(a=a, b=b, c=c, x=rng.choice(["村部党史学习", "党员教育", "主题教育"]))


_DEPT_GROUPS = {  # probability a function carries the group
    QUANTITY: 0.95, QUALITY: 0.7, TIMELINESS: 0.35, COST2: 0.25, ECON_COST: 0.4, SOCIAL_COST: 0.12,
    ECO_COST: 0.08, ECONOMIC: 0.2, SOCIAL: 0.8, ECOLOGICAL: 0.12, SUSTAINABLE: 0.25, RECIPIENT: 0.85,
}
_PROJ_GROUPS = {
    QUANTITY: 1.0, QUALITY: 0.85, TIMELINESS: 0.65, COST2: 0.55, ECON_COST: 0.75, SOCIAL_COST: 0.3,
    ECO_COST: 0.2, ECONOMIC: 0.35, SOCIAL: 0.85, ECOLOGICAL: 0.3, SUSTAINABLE: 0.45, RECIPIENT: 0.85,
}
_PER_GROUP = [(1, 14), (2, 24), (3, 25), (4, 18), (5, 11), (6, 8)]


def _groups(rng, order, probs, lo, hi, *, effect: bool = False) -> list[Category]:
    """Categories of one function (or project): always an 产出 group, and an 效益
    group too when ``effect`` (a project without either is invalid, rule R2)."""
    for _ in range(50):
        chosen = [c for c in order if rng.random() < probs[c.level2]]
        if not any(c.level1 == OUTPUT for c in chosen):
            continue
        if effect and not any(c.level1 == "效益指标" for c in chosen):
            continue
        if lo <= len(chosen) <= hi:
            return chosen
    chosen = [c for c in order if c.level2 in (QUANTITY, QUALITY, SOCIAL, RECIPIENT)]
    return chosen[:hi]


def _indicators(rng, cats, used: set[str]) -> list[Indicator]:
    out = []
    for cat in cats:
        for _ in range(_w(rng, _PER_GROUP)):
            for _try in range(12):
                ind, _kind = _indicator(rng, cat)
                if ind.name not in used:
                    break
            else:
                continue
            used.add(ind.name)
            out.append(ind)
    return out


def make_sheet(rng: random.Random, *, kind: str = "department", regime: str = "classic",
               functions: int | None = None) -> Sheet:
    """A realistic random sheet. ``functions`` fixes the number of 核心职能 (department)."""
    if kind not in ("department", "project") or regime not in ("classic", "2021"):
        raise ValueError(f"kind={kind!r} regime={regime!r}")
    order = CLASSIC if regime == "classic" else REGIME_2021
    year = rng.randint(2022, 2025) if regime == "2021" else rng.randint(2019, 2024)
    county = _county(rng)
    stage_word = _w(rng, [("批复表", 5), ("申报表", 3), ("表", 1)])
    stage = "declaration" if stage_word == "申报表" else "approval"
    sheet = Sheet(kind=kind, stage=stage, year=year)
    if kind == "department":
        sort = _w(rng, [("town", 4), ("bureau", 3), ("sub", 2)])
        if sort == "town":
            town = rng.choice(_T1) + rng.choice(_T2) + _w(rng, [("镇", 5), ("乡", 2), ("街道办事处", 1)])
            sheet.unit = sheet.supervisor = f"{county}{town}人民政府"
            boss, offices = "镇党委政府" if "镇" in town else "党委政府", _TOWN_OFFICES
        else:
            bureau = rng.choice(list(_BUREAUS))
            sheet.supervisor = f"{county}{bureau}"
            sheet.unit = f"{county}{rng.choice(_BUREAUS[bureau])}" if sort == "sub" else sheet.supervisor
            boss, offices = rng.choice(["局党组", "上级", "县委县政府"]), _BUREAU_OFFICES
        sheet.title = f"{year}年部门整体支出绩效目标{stage_word}"
        n_fun = functions or _w(rng, [(2, 15), (3, 30), (4, 30), (5, 15), (6, 10)])
        offices = rng.sample(offices, min(n_fun, len(offices))) + ["综合办公室"] * max(0, n_fun - len(offices))
        used: set[str] = set()
        paras = [rng.choice(["主要职能:", "主要职责:", "主要职能："])] if rng.random() < 0.7 else []
        nums = "一二三四五六七八九十"
        for i in range(n_fun):
            desc = _description(rng, boss)
            # (a budget book's compilation runs past 十: plain digits then)
            paras.append(f"({nums[i] if i < len(nums) else i + 1}) {offices[i]}。{desc}")
            cats = _groups(rng, order, _DEPT_GROUPS, 3, 6)
            used = set()  # names are unique per function (R19)
            sheet.functions.append(Function(label=f"职能{i + 1}", description=desc,
                                             indicators=_indicators(rng, cats, used)))
        sheet.overview = "\n".join(paras)
    else:
        topic = rng.choice(_PROJECTS)
        bureau = rng.choice(list(_BUREAUS))
        sheet.supervisor = f"{county}{bureau}"
        sheet.unit = f"{county}{rng.choice(_BUREAUS[bureau])}" if rng.random() < 0.6 else sheet.supervisor
        sheet.project = rng.choice([f"{year}年{topic}项目", f"{county}{topic}项目", f"{topic}经费", topic])
        sheet.title = rng.choice([f"{year}年项目支出绩效目标{stage_word}", f"项目支出绩效目标{stage_word}",
                                  f"{year}年度项目支出绩效目标{stage_word}"])
        if rng.random() < 0.5:
            total = round(rng.uniform(5, 900), rng.choice((0, 1, 2)))
            other = 0.0 if rng.random() < 0.7 else round(total * rng.uniform(0.05, 0.3), 2)
            sheet.funds = {"total": float(total), "fiscal": round(total - other, 2), "other": float(other)}
        cats = _groups(rng, order, _PROJ_GROUPS, 4, 9, effect=True)
        sheet.indicators = _indicators(rng, cats, set())
    sheet.goals = [_goal(rng) for _ in range(rng.randint(2, 4) if kind == "department" else rng.randint(1, 3))]
    return sheet


# ---------------------------------------------------------------------------
# the noise plan shared by both renderers

@dataclass(frozen=True, slots=True)
class _Noise:
    pos: tuple                  # weights of top / middle / bottom inside the span
    missing: float = 0.0        # 一级/二级 label lost
    displaced: float = 0.0      # 一级/二级 label printed outside its span
    func_missing: float = 0.0   # the whole 职能N cell lost
    func_displaced: float = 0.0
    max_offset: int = 0
    absent: float = 0.0         # numbering absent (sheets)
    run: float = 0.0            # numbering runs on through a function (sheets)
    variants: bool = False      # 满意度/环境效益 label variants


_NOISE = {
    0: _Noise(pos=(1, 0, 0)),
    1: _Noise(pos=(0.4, 0.35, 0.25)),
    2: _Noise(pos=(0.4, 0.35, 0.25), missing=0.05, displaced=0.21, func_missing=0.11, func_displaced=0.17,
              max_offset=3, absent=0.075, run=0.075, variants=True),
    3: _Noise(pos=(0.35, 0.35, 0.30), missing=0.115, displaced=0.52, func_missing=0.25, func_displaced=0.52,
              max_offset=4, absent=0.33, run=0.33, variants=True),
}
_COLON = [(":", 6), ("：", 3), (": ", 2)]


@dataclass(slots=True)
class _Row:
    fi: int | None
    cat: Category
    name: str
    value: str
    num: str | None
    cue: str = "cued"


@dataclass(slots=True)
class _Label:
    kind: str                 # 'func' | 'l1' | 'l2'
    text: str
    start: int
    end: int                  # span of rows [start, end)
    fi: int | None
    row: int | None = None    # row printed on (>= n_rows: an extra line after the table); None: lost
    where: str = "top"        # top / middle / bottom / displaced / missing


@dataclass(slots=True)
class _Plan:
    kind: str
    rows: list[_Row]
    labels: list[_Label]
    numbering: str
    n_functions: int
    variants: dict[str, int] = field(default_factory=dict)


def _l2_text(rng, l2: str, nz: _Noise, variants: dict) -> str:
    text = l2
    if nz.variants and l2 == RECIPIENT:
        text = _w(rng, [(RECIPIENT, 55), ("社会公众或服务对象满意度指标", 20), ("满意度指标", 25)])
    elif nz.variants and l2 == ECOLOGICAL and rng.random() < 0.3:
        text = "环境效益指标"
    variants[text] = variants.get(text, 0) + 1
    return text


def _plan(sheet: Sheet, rng: random.Random, noise: int, layout: bool, numbering: str | None = None) -> _Plan:
    nz = _NOISE[noise]
    r = rng.random()
    if numbering is None:
        numbering = "absent" if r < nz.absent else "run" if r < nz.absent + nz.run else "group"
    elif numbering not in ("group", "run", "absent"):
        raise ValueError(f"numbering={numbering!r}")
    style = _w(rng, [("指标{}:", 60), ("指标{}：", 25), ("指标{}", 15)])
    rows: list[_Row] = []
    labels: list[_Label] = []
    variants: dict[str, int] = {}
    blocks = [(fi, fn.indicators) for fi, fn in enumerate(sheet.functions)] if sheet.kind == "department" \
        else [(None, sheet.indicators)]
    counter = 0
    for fi, inds in blocks:
        fstart = len(rows)
        if numbering == "run" and fi is not None:
            counter = 0
        groups: list[list[Indicator]] = []
        for ind in inds:
            if groups and (groups[-1][0].level1, groups[-1][0].level2) == (ind.level1, ind.level2):
                groups[-1].append(ind)
            else:
                groups.append([ind])
        l1_spans: list[list] = []
        for members in groups:
            gstart = len(rows)
            if numbering == "group":
                counter = 0
            for ind in members:
                counter += 1
                num = None
                if numbering != "absent":
                    st = style if noise < 2 or rng.random() > 0.05 else rng.choice(["指标{}:", "指标{}：", "指标{}"])
                    num = st.format(counter)
                rows.append(_Row(fi, Category(ind.level1, ind.level2), ind.name, ind.target.text, num,
                                 ind.extra.get("cue", "cued")))
            labels.append(_Label("l2", _l2_text(rng, members[0].level2, nz, variants), gstart, len(rows), fi))
            if l1_spans and l1_spans[-1][0] == members[0].level1:
                l1_spans[-1][2] = len(rows)
            else:
                l1_spans.append([members[0].level1, gstart, len(rows)])
        for l1, a, b in l1_spans:
            labels.append(_Label("l1", l1, a, b, fi))
        if fi is not None and len(rows) > fstart:
            fn = sheet.functions[fi]
            labels.append(_Label("func", f"{fn.label}{_w(rng, _COLON)}{fn.description}", fstart, len(rows), fi))
    n = len(rows)
    # Placement: functions first, then 二级, then 一级 (which may share its 二级's row). Within one
    # column the printed labels keep their order (text extraction sorts a column by height), so a
    # displaced label never jumps over another label of its column.
    # Each label lands at most ``max_offset`` rows from its span, and never so low that the next
    # label of its column could not still sit in its own span: no cascades.
    l2_by_span = {(lb.start, lb.end, lb.fi): lb for lb in labels if lb.kind == "l2"}
    for col in ("func", "l2", "l1"):
        func = col == "func"
        p_miss = nz.func_missing if func else nz.missing
        p_disp = nz.func_displaced if func else nz.displaced
        prev = -1
        same = [x for x in labels if x.kind == col]
        for k, lb in enumerate(same):
            limit = min(same[k + 1].end - 2 if k + 1 < len(same) else n + 2, lb.end - 1 + nz.max_offset)
            low = max(prev + 1, lb.start - nz.max_offset)
            if rng.random() < p_miss:
                lb.row, lb.where = None, "missing"
                continue
            twin = l2_by_span.get((lb.start, lb.end, lb.fi)) if col == "l1" else None
            if twin is not None and twin.row is not None and low <= twin.row <= limit and rng.random() < 0.75:
                lb.row, lb.where = twin.row, twin.where
                prev = lb.row
                continue
            size = lb.end - lb.start
            inside = {"top": lb.start, "bottom": lb.end - 1,
                      "middle": lb.start + (size - 1) // 2 + (size % 2 == 0 and rng.random() < 0.5)}
            where = _w(rng, list(zip(("top", "middle", "bottom"), nz.pos)))
            cands: list[tuple[int, str]] = []
            if rng.random() < p_disp:
                up = rng.random() < (0.35 if func else 0.6)
                offs = list(range(1, nz.max_offset + 1))
                rng.shuffle(offs)
                cands += [(lb.start - o if up else lb.end - 1 + o, "displaced") for o in offs]
                if up and rng.random() < 0.6:  # no room above (labels keep their order): try below
                    cands += [(lb.end - 1 + o, "displaced") for o in offs]
            cands.append((inside[where], where))
            cands += [(row, "top" if row == lb.start else "bottom" if row == lb.end - 1 else "middle")
                      for row in range(max(low, lb.start), lb.end)]
            for row, wh in cands:
                if low <= row <= limit:
                    lb.row, lb.where = row, wh
                    prev = row
                    break
            else:  # unreachable: the last row of the span is always free
                raise AssertionError((col, lb.start, lb.end, prev, limit))
    return _Plan(sheet.kind, rows, labels, numbering, len(sheet.functions) if sheet.kind == "department" else 0,
                 variants)


def _count_labels(plan: _Plan, final_rows: dict[int, int | None], stats: dict) -> None:
    """Fill ``stats`` from where each label really ended up (row index per label id)."""
    per = {k: {"total": 0, "missing": 0, "displaced": 0, "in_span": 0, "top": 0, "middle": 0, "bottom": 0,
               "after_block": 0, "max_offset": 0} for k in ("l1", "l2", "func")}
    lost = []
    for i, lb in enumerate(plan.labels):
        c = per[lb.kind]
        c["total"] += 1
        row = final_rows.get(i)
        if row is None:
            c["missing"] += 1
            if lb.kind == "func":
                lost.append(lb.fi)
        elif lb.start <= row < lb.end:
            c["in_span"] += 1
            c["top" if row == lb.start else "bottom" if row == lb.end - 1 else "middle"] += 1
        else:
            c["displaced"] += 1
            c["after_block"] += row >= lb.end
            c["max_offset"] = max(c["max_offset"], lb.start - row if row < lb.start else row - lb.end + 1)
    # Rows whose group no text signal pins down: next to a group boundary that neither the
    # numbering nor a 二级 label printed on the group's first row marks, with a name that gives
    # no cue (or a wrong one). Even an expert guesses there; a rough bound on what is recoverable.
    ambiguous = set()
    for i, lb in enumerate(plan.labels):
        b = lb.start
        if lb.kind != "l2" or b == 0:
            continue
        new_fn = plan.rows[b - 1].fi != plan.rows[b].fi
        if plan.numbering == "group" or (plan.numbering == "run" and new_fn) or final_rows.get(i) == b:
            continue
        ambiguous.update(r for r in (b - 1, b) if plan.rows[r].cue != "cued")
    stats.update(
        sheets=1, rows=len(plan.rows), labels=per, ambiguous_rows=len(ambiguous), numbering=plan.numbering,
        function_blocks=per["func"]["total"], functions_lost=len(lost), lost_functions=sorted(lost),
        level2_variants=dict(plan.variants), kind=plan.kind,
    )


# ---------------------------------------------------------------------------
# tab renderer

def _p(paras: list[str], rng) -> str:
    if rng.random() < 0.75:
        return " ".join(f"<p>{p}</p>" for p in paras)
    return " ".join(paras)


def _goal_prefix(rng, i: int) -> str:
    return f"目标{i}{_w(rng, [(': ', 6), ('：', 3), (':', 1)])}"


def render_tab(sheet: Sheet, rng: random.Random, noise: int, stats: dict | None = None, *,
               numbering: str | None = None, trace: dict | None = None) -> str:
    """Tab-separated text shaped like the seed (see the module docstring). ``stats``, when
    given, is filled with what was printed; ``numbering`` forces 'group' / 'run' / 'absent'
    (default: drawn at the rates of the noise level)."""
    plan = _plan(sheet, rng, noise, layout=False, numbering=numbering)
    dept = sheet.kind == "department"
    out: list[str] = ["", ""] if rng.random() < 0.5 else [""]
    title = sheet.title or ""
    out.append(f"**{title}**  " if rng.random() < 0.4 else title)
    out.append(f"({sheet.year}年度)")
    out.append("")
    goals = [f"{_goal_prefix(rng, i + 1)}{g}" for i, g in enumerate(sheet.goals)]
    if dept:
        out.append(f"部门(单位)名称\t\t{sheet.unit}\t\t主管部门\t{sheet.supervisor}")
        out.append(f"部门职能概述\t\t{_p(sheet.overview.split(chr(10)), rng)}\t\t\t")
        out.append(f"{_w(rng, [('年度整体绩效目标', 4), ('年度总体绩效目标', 1)])}\t{_p(goals, rng)}\t\t\t\t")
        heading_at = len(out)
        out.append("核心职能\t\t年度绩效指标\t\t\t")
        out.append("\t\t一级指标\t二级指标\t三级指标\t指标值")
    else:
        out.append(f"项目名称\t{sheet.project}\t\t\t")
        heading_at = None
        if rng.random() < 0.5:
            out.append(f"主管部门\t{sheet.supervisor}\t实施单位\t{sheet.unit}")
        else:
            out += [f"主管部门\t{sheet.supervisor}\t\t", f"实施单位\t{sheet.unit}\t\t"]
        if sheet.funds:
            f = sheet.funds
            out.append(f"项目资金(万元)\t年度资金总额\t{_fmt(f['total'])}\t其中: 财政拨款\t{_fmt(f['fiscal'])}"
                       f"\t其他资金\t{_fmt(f['other'])}")
        out.append(f"{_w(rng, [('年度目标', 4), ('年度绩效目标', 1)])}\t{_p(goals, rng)}\t\t\t")
        heading_at = len(out)
        out.append(rng.choice(["\t一级指标\t二级指标\t三级指标\t指标值", "一级指标\t二级指标\t三级指标\t\t指标值",
                               "一级指标\t二级指标\t三级指标\t指标值"]))
    n = len(plan.rows)
    lead_cols = ("func", "l1", "l2") if dept else ("l1", "l2")
    grid: dict[int, dict[str, str]] = {}
    final_rows: dict[int, int | None] = {}
    for i, lb in enumerate(plan.labels):
        final_rows[i] = lb.row
        if lb.row is not None:
            grid.setdefault(lb.row, {})[lb.kind] = lb.text
    # leading empty cells dropped (columns shift left), per function block as in the seed
    shift_mode: dict[Any, tuple[str, int]] = {}
    for fi in dict.fromkeys(row.fi for row in plan.rows):
        rows_f = [i for i, row in enumerate(plan.rows) if row.fi == fi]
        empty_func = all("func" not in grid.get(i, {}) for i in rows_f)
        mode = _w(rng, [("all", 8), ("none", 1), ("tail", 1)]) if empty_func and dept else \
            _w(rng, [("none", 6), ("tail", 2), ("some", 1), ("all", 1)])
        shift_mode[fi] = (mode, rows_f[0] + rng.randrange(len(rows_f)) if rows_f else 0)
    shifted = 0
    table_at = len(out)
    row_at: dict[int, int | None] = {}
    for i in range(max([n - 1] + list(grid)) + 1):
        cells_lab = grid.get(i, {})
        if i >= n:
            if not cells_lab:
                continue
            row_at[len(out)] = None
            parts = [cells_lab[c] for c in lead_cols if c in cells_lab]
            out.append("\t" * rng.randint(0, 2) + "\t".join(parts) + "\t" * rng.randint(0, 3))
            continue
        row = plan.rows[i]
        lead = [cells_lab.get(c, "") for c in lead_cols]
        body = ([row.num] if row.num is not None else []) + [row.name, row.value]
        mode, from_row = shift_mode[row.fi]
        k = 0
        while k < len(lead) and not lead[k]:
            k += 1
        drop = 0
        if k and (mode == "all" or (mode == "tail" and i >= from_row) or (mode == "some" and rng.random() < 0.4)):
            drop = 1 if noise < 2 or rng.random() < 0.85 else rng.randint(1, k)
        cells = lead[drop:] + body
        row_at[len(out)] = i
        if drop:
            shifted += 1
            cells += [""] * (drop if rng.random() < 0.85 else 0)
        elif rng.random() < 0.05:
            cells.append("")
        out.append("\t".join(cells))
    if stats is not None:
        _count_labels(plan, final_rows, stats)
        stats.update(layout="tab", noise=noise, shifted_rows=shifted, wrapped_names=0, pages=1, reprinted_labels=0)
    if trace is not None:  # what each line is, for the phenomena (consumes no randomness)
        kinds = [("head", None)] * heading_at + [("heading", None)] * (table_at - heading_at) + \
            [("row", row_at[k]) if row_at[k] is not None else ("extra", None) for k in range(table_at, len(out))]
        trace["pages"] = [[[kd, r, t] for (kd, r), t in zip(kinds, out)]]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# layout renderer

def _wrap(text: str, width: int) -> list[str]:
    """Wrap to ``width`` display cells; fragments stripped (a break at a space eats it)."""
    lines, cur, cw = [], [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if cw + w > width and cur:
            lines.append("".join(cur))
            cur, cw = [], 0
        cur.append(ch)
        cw += w
    if cur:
        lines.append("".join(cur))
    return [s.strip() for s in lines if s.strip()] or [""]


def _line(cells: list[tuple[int, str]]) -> str:
    """Place texts at display columns, keeping at least two spaces between cells."""
    out, pos = [], 0
    for x, text in sorted(cells):
        if not text:
            continue
        if pos and x < pos + 2:
            x = pos + 2
        out.append(" " * (x - pos))
        out.append(text)
        pos = x + display_width(text)
    return "".join(out)


def render_layout(sheet: Sheet, rng: random.Random, noise: int, stats: dict | None = None, *,
                  numbering: str | None = None, trace: dict | None = None) -> str:
    """Space-aligned text shaped like ``pdftotext -layout`` (see the module docstring and
    :func:`render_tab` for ``stats`` and ``numbering``)."""
    plan = _plan(sheet, rng, noise, layout=True, numbering=numbering)
    dept = sheet.kind == "department"
    n = len(plan.rows)
    indent = rng.choice([0, 0, 2, 4, 6])
    gap = rng.randint(2, 4)
    l1w = max([8] + [display_width(lb.text) for lb in plan.labels if lb.kind == "l1"])
    l2w = max([8] + [display_width(lb.text) for lb in plan.labels if lb.kind == "l2"])
    fw = 2 * rng.randint(8, 10)
    nw = 2 * rng.choice((12, 12, 13, 13, 14, 15, 16))
    numw = max([0] + [display_width(r.num) for r in plan.rows if r.num])
    x = indent
    cols: dict[str, int] = {}
    if dept:
        cols["func"], x = x, x + fw + gap
    cols["l1"], x = x, x + l1w + gap
    cols["l2"], x = x, x + l2w + gap
    if numw:
        cols["num"], x = x, x + numw + gap
    cols["name"], x = x, x + nw + gap
    cols["value"] = x
    # rows -> blocks of lines (name wrapped; number and value on the anchor line)
    blocks: list[list[dict[str, str]]] = []
    anchors: list[int] = []
    wrapped = 0
    for row in plan.rows:
        frags = _wrap(row.name, nw)
        wrapped += len(frags) > 1
        a = 0 if len(frags) == 1 else rng.randint(0, 1) if len(frags) == 2 else len(frags) // 2
        block = [{"name": f} for f in frags]
        block[a]["value"] = row.value
        if row.num:
            block[a]["num"] = row.num
        blocks.append(block)
        anchors.append(a)
    # a tall function description stretches its rows (padding above/below the row's text)
    func_frags: dict[int, list[str]] = {}
    for li, lb in enumerate(plan.labels):
        if lb.kind != "func" or lb.row is None:
            continue
        frags = _wrap(lb.text, fw)
        func_frags[li] = frags
        if lb.where == "displaced":
            continue
        have = sum(len(blocks[i]) for i in range(lb.start, lb.end))
        extra = len(frags) - have
        i = lb.start
        while extra > 0:
            if rng.random() < 0.5:
                blocks[i].insert(0, {})
                anchors[i] += 1
            else:
                blocks[i].append({})
            extra -= 1
            i = lb.start if i + 1 >= lb.end else i + 1
    if noise >= 1:
        for i in range(n):
            if rng.random() < 0.08:
                blocks[i].append({})
    lines: list[dict[str, str]] = []
    line_row: list[int] = []
    first: list[int] = []
    for i, block in enumerate(blocks):
        first.append(len(lines))
        for d in block:
            lines.append(dict(d))
            line_row.append(i)
    end_of_rows = len(lines)
    anchor_line = [first[i] + anchors[i] for i in range(n)]

    def ensure(k: int) -> None:
        while len(lines) <= k:
            line_row.append(n + (len(lines) - end_of_rows))
            lines.append({})

    def row_line(row: int) -> int:
        if row < n:
            return anchor_line[row]
        k = end_of_rows + (row - n)
        ensure(k)
        return k

    final_rows: dict[int, int | None] = {i: None for i in range(len(plan.labels))}
    label_line: dict[int, int] = {}
    wanted: dict[tuple, int] = {}  # labels of one span (一级 and 二级 of a one-group 一级) share their line
    # 一级/二级: one line; middle = vertical centre of the span's lines
    for li, lb in enumerate(plan.labels):
        if lb.kind == "func" or lb.row is None:
            continue
        key = (lb.start, lb.end, lb.where, lb.row)
        if key in wanted:
            want = wanted[key]
        elif lb.row >= n:
            want = row_line(lb.row)
        else:
            # a line of the planned row: the span's vertical centre when it falls in that row
            # (pdftotext centres merged cells), else the row's first, anchor or last line
            lo_r, hi_r = first[lb.row], first[lb.row] + len(blocks[lb.row]) - 1
            lo, hi = first[lb.start], first[lb.end - 1] + len(blocks[lb.end - 1]) - 1
            centre = (lo + hi) // 2
            if lb.where == "middle" and lo_r <= centre <= hi_r:
                want = centre
            elif lb.where == "top":
                want = lo_r if rng.random() < 0.5 else anchor_line[lb.row]
            elif lb.where == "bottom":
                want = hi_r if rng.random() < 0.5 else anchor_line[lb.row]
            else:
                want = anchor_line[lb.row]
        wanted[key] = want
        k = want
        for d in (0, 1, -1, 2, -2, 3, -3):
            cand = want + d
            if cand >= 0 and line_row[min(cand, len(line_row) - 1)] == line_row[want]:
                ensure(cand)
                if lb.kind not in lines[cand]:
                    k = cand
                    break
        lines[k][lb.kind] = lb.text
        label_line[li] = k
        final_rows[li] = line_row[k]
    # function descriptions: one fragment per line, never overlapping another description
    starts = []
    for li, frags in func_frags.items():
        lb = plan.labels[li]
        if lb.where == "displaced":
            want = first[lb.row] if lb.row < n else row_line(lb.row)
        else:
            lo = first[lb.start]
            span = first[lb.end - 1] + len(blocks[lb.end - 1]) - lo
            slack = max(0, span - len(frags))
            want = lo + {"top": 0, "middle": slack // 2, "bottom": slack}[lb.where]
        starts.append((want, li))
    busy_until = 0
    for want, li in starts:  # label order: descriptions never swap
        frags = func_frags[li]
        s = max(want, busy_until)
        ensure(s + len(frags) - 1)
        for j, frag in enumerate(frags):
            lines[s + j]["func"] = frag
        busy_until = s + len(frags)
        label_line[li] = s
        final_rows[li] = line_row[s]
    # header block
    head: list[str] = [""] if rng.random() < 0.5 else []
    title = sheet.title or ""
    head.append(" " * max(0, (100 - display_width(title)) // 2 + rng.randint(-6, 6)) + title)
    head.append(" " * rng.randint(38, 48) + f"({sheet.year}年度)")
    head.append("")
    lw = 18 + rng.randint(0, 4)
    vw = 2 * rng.randint(30, 40)
    goals = [f"{_goal_prefix(rng, i + 1)}{g}" for i, g in enumerate(sheet.goals)]

    def field_lines(label: str, paras: list[str]) -> list[str]:
        res = []
        for p in paras:
            for frag in _wrap(p, vw):
                res.append(_line([(indent, label), (indent + lw, frag)]))
                label = ""
        return res

    if dept:
        head.append(_line([(indent, "部门(单位)名称"), (indent + lw, sheet.unit or ""),
                           (indent + lw + 44, "主管部门"), (indent + lw + 56, sheet.supervisor or "")]))
        head += field_lines("部门职能概述", (sheet.overview or "").split("\n"))
        head += field_lines(_w(rng, [("年度整体绩效目标", 4), ("年度总体绩效目标", 1)]), goals)
        table_head = [_line([(cols["func"], "核心职能"), (cols["l1"], "年度绩效指标")]),
                      _line([(cols["l1"], "一级指标"), (cols["l2"], "二级指标"),
                             (cols.get("num", cols["name"]), "三级指标"), (cols["value"], "指标值")])]
    else:
        head.append(_line([(indent, "项目名称"), (indent + lw, sheet.project or "")]))
        head.append(_line([(indent, "主管部门"), (indent + lw, sheet.supervisor or ""),
                           (indent + lw + 44, "实施单位"), (indent + lw + 56, sheet.unit or "")]))
        if sheet.funds:
            f = sheet.funds
            head.append(_line([(indent, "项目资金(万元)"), (indent + lw, "年度资金总额"), (indent + lw + 16, _fmt(f["total"])),
                               (indent + lw + 28, "其中: 财政拨款"), (indent + lw + 46, _fmt(f["fiscal"])),
                               (indent + lw + 58, "其他资金"), (indent + lw + 70, _fmt(f["other"]))]))
        head += field_lines(_w(rng, [("年度目标", 4), ("年度绩效目标", 1)]), goals)
        table_head = [_line([(cols["l1"], "一级指标"), (cols["l2"], "二级指标"),
                             (cols.get("num", cols["name"]), "三级指标"), (cols["value"], "指标值")])]
    head.append("")
    # pagination: breaks between rows; the split 一级/二级 labels printed again on the new page
    pages: list[list[int]] = []
    cur: list[int] = []
    page_len = rng.randint(35, 45)
    used = len(head) + len(table_head)
    k = 0
    while k < len(lines):
        if k < end_of_rows:
            r = line_row[k]
            j = k
            while j < end_of_rows and line_row[j] == r:
                j += 1
        else:
            j = k + 1
        size = j - k
        if cur and used + size > page_len - 2:
            pages.append(cur)
            cur, used, page_len = [], len(table_head), rng.randint(35, 45)
        cur += range(k, j)
        used += size
        k = j
    pages.append(cur)
    reprinted = 0
    for p in pages[1:]:
        top = p[0]
        if top >= end_of_rows:
            continue
        r0 = line_row[top]
        for li, lb in enumerate(plan.labels):
            if lb.kind == "func" or li not in label_line:
                continue
            if lb.start < r0 < lb.end and label_line[li] < top:
                for cand in p:
                    if line_row[cand] != r0 and cand > top + 2:
                        break
                    if lb.kind not in lines[cand]:
                        lines[cand][lb.kind] = lb.text
                        reprinted += 1
                        break
    footer_style = rng.choice(["第 {p} 页 共 {n} 页", "— {p} —", "- {p} -", "第{p}页/共{n}页"])
    total = len(pages)
    text_pages = []
    traced = []
    for pi, p in enumerate(pages):
        out = (head if pi == 0 else []) + table_head
        kinds = [("head", None)] * (len(out) - len(table_head)) + [("heading", None)] * len(table_head)
        for k in p:
            d = lines[k]
            out.append(_line([(cols[c], d[c]) for c in d if c in cols]).rstrip())
            kinds.append(("row", line_row[k]) if k < end_of_rows else ("extra", None))
        if total > 1:
            out.append("")
            out.append(" " * rng.randint(40, 50) + footer_style.format(p=pi + 1, n=total))
            kinds += [("blank", None), ("footer", None)]
        text_pages.append("\n".join(out) + "\n")
        traced.append([[kd, r, t] for (kd, r), t in zip(kinds, out)])
    if trace is not None:  # what each line is, for the phenomena (consumes no randomness)
        trace["pages"] = traced
    if stats is not None:
        _count_labels(plan, final_rows, stats)
        spans = {c: [cols[c], cols[c] + w] for c, w in
                 (("func", fw), ("l1", l1w), ("l2", l2w), ("num", numw), ("name", nw), ("value", 40)) if c in cols}
        stats.update(layout="layout", noise=noise, shifted_rows=0, wrapped_names=wrapped, pages=total,
                     reprinted_labels=reprinted, columns=spans)
    return "".join(p + "\f" for p in text_pages)  # pdftotext ends every page with a form feed


# ---------------------------------------------------------------------------
# gold and corpora

def gold_of(sheet: Sheet, facts: dict | None = None) -> dict:
    """The expert reading of a rendered sheet: ``sheet_to_dict`` of the known sheet, with the
    description of every function whose ``职能N`` cell the rendering lost set to None."""
    d = sheet_to_dict(sheet)
    for ind in [i for f in d["functions"] for i in f["indicators"]] + d["indicators"]:
        ind.pop("cue", None)  # generator bookkeeping (cued / uncued / misleading), not part of the reading
    for fi in (facts or {}).get("lost_functions", ()):
        d["functions"][fi]["description"] = None
    return d


@dataclass(slots=True)
class Sample:
    text: str
    gold: dict
    facts: dict
    sheet: Sheet
    layout: str
    noise: int


_RENDER = {"tab": render_tab, "layout": render_layout}


def sample(rng: random.Random, noise: int, layout: str = "tab", *, kind: str | None = None,
           regime: str | None = None, functions: int | None = None, numbering: str | None = None) -> Sample:
    kind = kind or ("department" if rng.random() < 0.65 else "project")
    regime = regime or ("classic" if rng.random() < 0.6 else "2021")
    sheet = make_sheet(rng, kind=kind, regime=regime, functions=functions)
    facts: dict = {"regime": regime}
    text = _RENDER[layout](sheet, rng, noise, facts, numbering=numbering)
    return Sample(text, gold_of(sheet, facts), facts, sheet, layout, noise)


def large_sample(indicators: int, noise: int, layout: str = "tab", *, numbering: str | None = None,
                 seed: int = 0) -> Sample:
    """A department sheet of about ``indicators`` indicators: many functions (about
    twelve indicators each), as in a county's compilation or a budget book. For
    benchmarks/scaling.py and the banding tests."""
    rng = random.Random(f"jixiao-large:{seed}:{indicators}:{noise}:{layout}:{numbering}")
    return sample(rng, noise, layout, kind="department", regime="classic",
                  functions=max(1, round(indicators / 12)), numbering=numbering)


# Numbering at level 3, stratified per layout so that any corpus holds the shares
# exactly: the hardest level has numbering absent in 1 sheet in 4; the
# RUN_ON mix also lets it run on through the function in another 1 in 4.
LEVEL3 = ("absent", "group", "group", "group")
LEVEL3_RUN_ON = ("absent", "run", "group", "group")


def samples(n: int, noise: int, *, seed: int = 0, layouts=("tab", "layout"),
            numbering_mix: tuple[str, ...] = LEVEL3) -> list[Sample]:
    """``n`` samples mixing department/project sheets, both regimes and the given layouts;
    at level 3 ``numbering_mix`` cycles the numbering styles."""
    out = []
    for i in range(n):
        j = i // len(layouts)  # the j-th sheet of its layout
        numbering = numbering_mix[j % len(numbering_mix)] if noise == 3 else None
        out.append(sample(random.Random(f"jixiao-gen:{seed}:{noise}:{i}"), noise, layouts[i % len(layouts)],
                          numbering=numbering))
    return out


def corpus(n: int, noise: int, *, seed: int = 0, layouts=("tab", "layout")) -> list[tuple[str, dict]]:
    """``(text, gold)`` pairs; see :func:`samples`."""
    return [(s.text, s.gold) for s in samples(n, noise, seed=seed, layouts=layouts)]


def aggregate(stats_list) -> dict:
    """Sum the counters of many renderer ``stats`` and add realised rates."""
    labels = {k: {} for k in ("l1", "l2", "func")}
    agg: dict[str, Any] = {"sheets": 0, "rows": 0, "ambiguous_rows": 0, "function_blocks": 0, "functions_lost": 0,
                           "shifted_rows": 0, "wrapped_names": 0, "reprinted_labels": 0, "pages": 0,
                           "numbering": {"group": 0, "run": 0, "absent": 0}, "level2_variants": {}}
    for st in stats_list:
        for key in ("sheets", "rows", "ambiguous_rows", "function_blocks", "functions_lost", "shifted_rows",
                    "wrapped_names",
                    "reprinted_labels", "pages"):
            agg[key] += st.get(key, 0)
        agg["numbering"][st["numbering"]] += 1
        for t, c in st.get("level2_variants", {}).items():
            agg["level2_variants"][t] = agg["level2_variants"].get(t, 0) + c
        for kind, counts in st["labels"].items():
            for key, v in counts.items():
                if key == "max_offset":
                    labels[kind][key] = max(labels[kind].get(key, 0), v)
                else:
                    labels[kind][key] = labels[kind].get(key, 0) + v
    agg["labels"] = labels
    tot = sum(labels[k].get("total", 0) for k in labels)
    l12 = sum(labels[k].get("total", 0) for k in ("l1", "l2")) or 1
    agg["rates"] = {
        "displaced": sum(labels[k].get("displaced", 0) for k in labels) / (tot or 1),
        "displaced_l1_l2": sum(labels[k].get("displaced", 0) for k in ("l1", "l2")) / l12,
        "displaced_func": labels["func"].get("displaced", 0) / (labels["func"].get("total", 0) or 1),
        "missing_l1_l2": sum(labels[k].get("missing", 0) for k in ("l1", "l2")) / l12,
        "function_missing": agg["functions_lost"] / (agg["function_blocks"] or 1),
        "func_after_block": labels["func"].get("after_block", 0) / (labels["func"].get("total", 0) or 1),
        "numbering_absent": agg["numbering"]["absent"] / (agg["sheets"] or 1),
        "numbering_run": agg["numbering"]["run"] / (agg["sheets"] or 1),
        "ambiguous_rows": agg["ambiguous_rows"] / (agg["rows"] or 1),
    }
    return agg


# ---------------------------------------------------------------------------
# sheets for round trips through the official forms (jixiao/render -> importers)

#: What :func:`make_form_sheet` adds to a plain :func:`make_sheet` sheet.
FORM_VARIANTS = ("plain", "long", "functions", "qualitative", "weights", "columns", "symbols")

_LONG_NAME_TAILS = ["(按照上级下达的年度任务清单逐项落实, 以县级主管部门年终考核认定的数量为准)",
                    "及相关配套设施的日常维护管理和安全隐患排查整治工作", "，覆盖辖区内全部行政村和社区居民小组",
                    "(含上年结转项目和本年度新增项目, 不含已由其他专项资金安排的部分)",
                    "，并按要求建立工作台账、规范归档资料、及时报送工作信息"]
_QUALITATIVE = ["有效提升", "明显改善", "符合国家相关标准", "按时完成", "达到预期效果", "群众反映良好",
                "严格按照相关规定执行", "全面完成年度任务", "无重大安全事故发生", "持续发挥作用", "应保尽保",
                "较上年有所提高", "12月31日前", "2024年12月底前完成", "按季度", "优良"]
_SYMBOL_NAMES = [("PM2.5年均浓度", "≤35μg/m³"), ("12345政务服务便民热线按时办结率", "≥95%"),
                 ("“三公”经费 & 会议费控制情况", "较上年只减不增"), ("A级及以上景区<重点区域>巡查次数", "≥12次"),
                 ("COD排放量削减比例", "≥5%"), ("5G基站建设数量", "≥20个"), ("人均住院费用(元/人·次)", "≤3000元"),
                 ("资金拨付率=实际拨付/计划拨付", "=100%"), ("学生营养餐“校校通”覆盖率", "100%"),
                 ("道路(含桥梁、涵洞)养护里程", "≥35.5公里"), ("危房改造户数(C级、D级)", "≥15户")]
_EXPLAIN = ["反映{n}的完成情况。", "{n}: 指按照年度计划实际完成的工作量与计划工作量的比值, 用以考核任务完成进度。",
            "考察{n}是否达到年度目标, 数据来源为部门统计台账和年终考核结果。"]
_CRITERIA = ["完成得满分, 每降低1个百分点扣0.5分, 扣完为止。", "达到目标值得满分;\n未达到的按完成比例计分。",
             "全部完成得{w}分, 部分完成得{h}分, 未完成不得分。"]


def _long_text(rng: random.Random, base: str, lo: int, hi: int) -> str:
    """``base`` extended with duty sentences to ``lo``-``hi`` characters."""
    text = base
    while len(text) < lo:
        text += rng.choice(["同时", "并", "另外, "]) + rng.choice(_DUTIES) + "等工作, " + \
            rng.choice(["确保各项任务按期保质完成。", "做好统筹协调和督促检查。", "建立健全长效工作机制。"])
    return text[:hi].rstrip("，, ") + ("" if text[:hi].endswith("。") else "。")


def _weights(rng: random.Random, n: int) -> list[float]:
    """``n`` weights summing to 100 (whole numbers, now and then halves)."""
    if n == 0:
        return []
    cuts = sorted(rng.sample(range(1, 200), min(n - 1, 199)))
    parts = [(b - a) / 2 for a, b in zip([0] + cuts, cuts + [200])]
    return parts + [1.0] * (n - len(parts))


def make_form_sheet(rng: random.Random, *, kind: str = "department", regime: str = "classic",
                    variant: str = "plain") -> Sheet:
    """A :func:`make_sheet` sheet made harder for a round trip through the official forms.

    ``variant``: ``plain`` (as drawn); ``long`` (long unit/project names, function
    descriptions of 200-450 characters, names of 40-90 characters, long goals);
    ``functions`` (8-10 核心职能; a project gets every group of its regime);
    ``qualitative`` (about half the targets words or deadlines); ``weights`` (a 权重 on
    every indicator, summing to 100); ``columns`` (权重, 指标解释 and 评(扣)分标准, with
    实际完成值 and 得分 on some); ``symbols`` (names and values with Latin letters,
    digits first, ``&``, ``<…>``, ``=``, brackets). Deterministic given ``rng``; the
    2021 regime keeps 成本指标 as a 一级 of its own."""
    if variant not in FORM_VARIANTS:
        raise ValueError(f"variant={variant!r}")
    functions = rng.randint(8, 10) if variant == "functions" and kind == "department" else None
    sheet = make_sheet(rng, kind=kind, regime=regime, functions=functions)
    if variant == "functions" and kind == "project":
        sheet.indicators = _indicators(rng, CLASSIC if regime == "classic" else REGIME_2021, set())
    inds = [i for _, i in sheet.all_indicators()]
    if variant == "long":
        if sheet.kind == "department":
            sheet.unit = sheet.unit + rng.choice(["(机关本级及所属事业单位)", "机关本级(含下属二级单位)"])
        else:
            sheet.project = rng.choice(["2023-2025年", "中央和省级财政衔接推进"]) + (sheet.project or "") + \
                rng.choice(["(第二批)及配套设施建设项目", "(含上年结转资金)"])
        paras = []
        for fn in sheet.functions:
            fn.description = _long_text(rng, fn.description or "", 200, 450)
            paras.append(fn.description)
        if paras:
            sheet.overview = "\n".join(paras)
        sheet.goals = [_long_text(rng, g, 80, 200) for g in sheet.goals]
        for ind in rng.sample(inds, max(1, len(inds) // 3)):
            ind.name = (ind.name + rng.choice(_LONG_NAME_TAILS))[:90]
    elif variant == "qualitative":
        for ind in inds:
            if rng.random() < 0.5:
                ind.target = _parse(rng.choice(_QUALITATIVE))
    elif variant in ("weights", "columns"):
        for ind, w in zip(inds, _weights(rng, len(inds))):
            ind.weight = w
            if variant == "columns":
                ind.explanation = rng.choice(_EXPLAIN).format(n=ind.name)
                ind.criteria = rng.choice(_CRITERIA).format(w=_fmt(w), h=_fmt(w / 2))
        if variant == "columns" and rng.random() < 0.5:
            for ind in inds:
                ind.actual = ind.target
                ind.score = ind.weight if rng.random() < 0.8 else round(ind.weight / 2, 1)
    elif variant == "symbols":
        used = {i.name for i in inds}
        for ind in rng.sample(inds, min(len(inds), rng.randint(2, 5))):
            name, value = rng.choice(_SYMBOL_NAMES)
            if name not in used:
                used.add(name)
                ind.name, ind.target = name, _parse(value)
    return sheet


# ---------------------------------------------------------------------------
# real-world phenomena (issue 12): what real published excerpts do that the noise levels don't
#
# A separate corpus: :func:`phenomenon_samples` draws from its own random streams, and the
# renderers above are called exactly as :func:`sample` calls them (``trace`` only records
# what each printed line is), so the noise-level corpora are unchanged for every seed.

#: The phenomena, each at :data:`PHENOMENON_LEVELS` (1 mild .. 3 hardest).
PHENOMENA = ("traditional", "furniture", "lookalike", "unit_only", "truncated", "headless", "prose",
             "repeated_heading", "block_total", "collapsed")
PHENOMENON_LEVELS = (1, 2, 3)

# pinyin glosses a converter puts after characters (every syllable with its tone mark)
_GLOSS = dict(zip(
    "標級產質數時滿經濟會務發資項績效指值預單門率量設備維護補貼撥檢養衛環職鄉鎮縣區農戶學訓練響態續對象"
    "意度費場運轉導覽勞動歲傳檔專級劃節點條際辦處",
    "biāo jí chǎn zhì shù shí mǎn jīng jì huì wù fā zī xiàng jì xiào zhǐ zhí yù dān mén lǜ liàng shè bèi "
    "wéi hù bǔ tiē bō jiǎn yǎng wèi huán zhí xiāng zhèn xiàn qū nóng hù xué xùn liàn xiǎng tài xù duì "
    "xiàng yì dù fèi chǎng yùn zhuǎn dǎo lǎn láo dòng suì chuán dàng zhuān jí huà jié diǎn tiáo jì bàn "
    "chù".split()))
_SITE_BEFORE = ["资源ID:{n}", "下载积分: {k}", "友情提示: 本站所有资源均为网友上传, 仅供学习参考",
                "本网站支持IPv6", "长者模式  无障碍", "【字体: 大 中 小】", "分享到:"]
_SITE_AFTER = ["已阅读{k}页/还剩{n2}页未读", "继续免费阅读", "下载本文档", "版权说明: 本文档由用户提供并上传",
               "打印本页  关闭窗口", "上一篇: {t}", "下一篇: {t}", "扫一扫在手机打开当前页"]
_SITE_L3 = ["发布时间: {y}-0{m}-1{m} 来源: {u} 浏览次数: {n}", "相关附件:", "【打印】【关闭】"]
_PAGE_NUMBERS = ["— {p} —", "-{p}-", "- {p} -", "第 {p} 页 共 {t} 页", "第{p}页/共{t}页", "{p}/{t}",
                 "共{t}页 第{p}页"]
_LOOK = {1: {"=": ["═", "〓"]},
         2: {"=": ["═", "〓"], "≥": ["≥=", "=>"], "≤": ["≤=", "=<"]},
         3: {"=": ["═", "〓", "二"], "≥": ["≥=", "=>", "2"], "≤": ["≤=", "=<"]}}
_OP_PREFIX = [(">=", "≥"), ("＞＝", "≥"), ("<=", "≤"), ("≥", "≥"), ("≧", "≥"), ("≤", "≤"), ("≦", "≤"),
              ("=", "="), ("＝", "="), ("﹦", "=")]
_BOUNDED = ("率", "满意", "覆盖", "合格", "达标", "到位", "及时", "知晓", "认可", "完好")
_RISING = ("增长", "提高", "提升", "增加", "上升", "倍")
_BLOCK_POINTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10, "成本指标": 10}
_HEADING_SPLIT = re.compile(r"(\t|  +)")
# collapsed (tests/collapsed_forms.LAYOUTS): levels 1-2 one of the milder column orders, level 3
# one value column per town (operator in 指标方向) or a self-evaluation with weights and scores
_COLLAPSED_LEVEL3 = ("by_place", "self_eval", "weight_first")
_COLLAPSED_MILD = ("declaration", "weighted", "explained", "monitoring", "split_target")


def _s2t():
    from opencc_purepy import OpenCC  # the importer's own dependency (pinned in pyproject.toml)
    if not hasattr(_s2t, "cc"):
        _s2t.cc = (OpenCC("s2t").convert, OpenCC("t2s").convert)
    return _s2t.cc


def _traditional(line: str) -> str:
    """``line`` in traditional characters, as far as converting back gives the line again
    (characters that would not come back are left simplified)."""
    s2t, t2s = _s2t()
    t = s2t(line)
    if t2s(t) == line and len(t) == len(line):
        return t
    return "".join(c2 if t2s(c2) == c else c for c, c2 in ((c, s2t(c)) for c in line))


def _widen(line: str, pos: int, insert: str, aligned: bool) -> str | None:
    """Insert ``insert`` at ``pos``. In space-aligned text the room comes from the spaces that
    end the cell, so that the columns after it stay where they were; None when the cell has
    no such room (the gloss is then left out, as a cell too narrow would have wrapped it)."""
    out = line[:pos] + insert + line[pos:]
    if not aligned:
        return out
    need = display_width(insert)
    m = re.compile(r" {2,}").search(out, pos + len(insert))
    if m is None:
        return out
    if m.end() - m.start() < need + 2:
        return None
    return out[:m.start()] + out[m.start() + need:]


def _flat(sheet: Sheet) -> list[tuple[int | None, Indicator]]:
    """Every indicator with its function index (None: a project's), in printed order."""
    return [(fi, ind) for fi, fn in enumerate(sheet.functions) for ind in fn.indicators] + \
        [(None, ind) for ind in sheet.indicators]


def _copy_sheet(sheet: Sheet) -> Sheet:
    from jixiao.model.codec import sheet_from_dict
    return sheet_from_dict(sheet_to_dict(sheet))


def _pages_text(pages: list, layout: str) -> str:
    if layout in ("tab", "pipe"):
        return "".join("\n".join(t for _, _, t in p) + "\n" for p in pages)
    return "".join("\n".join(t for _, _, t in p) + "\n\f" for p in pages)


def _row_starts(pages: list) -> list[tuple[int, int]]:
    """(page, line) of the first line of every row, in order."""
    out, seen = [], set()
    for pi, p in enumerate(pages):
        for li, (kd, r, _) in enumerate(p):
            if kd == "row" and r not in seen:
                seen.add(r)
                out.append((pi, li))
    return out


def render_pipe(sheet: Sheet, rng: random.Random, noise: int = 0, stats: dict | None = None, *,
                numbering: str | None = None, trace: dict | None = None) -> str:
    """A pipe table as a web page's text or a converter gives it (``a | b | c |``, every cell
    kept, a merged label on the first row of its span and empty cells under it). Used by the
    phenomena only (no noise levels: ``noise`` and ``numbering`` are ignored)."""
    dept = sheet.kind == "department"
    lines: list[list] = [["head", None, f"{sheet.title} |"], ["head", None, f"({sheet.year}年度) |"]]
    if dept:
        lines.append(["head", None, f"部门(单位)名称 | {sheet.unit} | 主管部门 | {sheet.supervisor} |"])
        heading = "核心职能 | 一级指标 | 二级指标 | 三级指标 | 指标值 |"
    else:
        lines.append(["head", None, f"项目名称 | {sheet.project} |"])
        lines.append(["head", None, f"主管部门 | {sheet.supervisor} | 实施单位 | {sheet.unit} |"])
        heading = rng.choice(["一级指标 | 二级指标 | 三级指标 | 指标值 |", "一级指标 | 二级指标 | 三级指标 | 指标值（必填） |"])
    if sheet.goals:
        lines.append(["head", None, f"{'年度整体绩效目标' if dept else '年度目标'} | " + " ".join(sheet.goals) + " |"])
    lines.append(["heading", None, heading])
    prev: tuple = (None, None, None)
    for r, (fi, ind) in enumerate(_flat(sheet)):
        fn = sheet.functions[fi] if fi is not None else None
        cells = [f"{fn.label}:{fn.description}" if fn is not None and fi != prev[0] else ""] if dept else []
        cells += [ind.level1 if (fi, ind.level1) != prev[:2] else "",
                  ind.level2 if (fi, ind.level1, ind.level2) != prev else "", ind.name, ind.target.text]
        lines.append(["row", r, " | ".join(cells) + " |"])
        prev = (fi, ind.level1, ind.level2)
    if stats is not None:
        stats.update(layout="pipe", noise=0, sheets=1, rows=len(_flat(sheet)), kind=sheet.kind, lost_functions=[])
    if trace is not None:
        trace["pages"] = [lines]
    return "\n".join(t for _, _, t in lines) + "\n"


def _prose(sheet: Sheet, rng: random.Random, level: int, facts: dict) -> str:
    """A 公示 that lists its indicators in sentences: ``1、数量指标:name value；name value。``
    (level 1: one line per 二级 under ``(一)、产出指标`` lines, values after ``：``/为 when
    they are words; level 2: no 一级 lines, clauses cut by ，; level 3: all 二级 of a 一级
    in one sentence, ``数量指标: 完成造林1000亩; 质量指标: 成活率≥85%``)."""
    out = [rng.choice(["", "附件"]), f"{sheet.project}绩效目标公示", "",
           f"根据{rng.choice(['县财政局', '上级主管部门'])}有关文件要求, 现将{sheet.project}有关情况公示如下:",
           "一、项目名称", f"{sheet.project}。", "二、实施单位", f"{sheet.unit}。", "三、绩效目标",
           "总体目标:" + "".join(sheet.goals)]
    nums = "一二三四五六七八九十"
    groups: list[tuple[str, str, list[Indicator]]] = []
    for ind in sheet.indicators:
        if groups and groups[-1][:2] == (ind.level1, ind.level2):
            groups[-1][2].append(ind)
        else:
            groups.append((ind.level1, ind.level2, [ind]))
    sep = {1: "；", 2: "，", 3: "，"}[level]

    def clause(ind: Indicator) -> str:
        v = ind.target.text
        if v[:1].isdigit() or v[:1] in "≥≧≤≦=＝﹦><＞＜" or v.startswith(("不", "达到", "高于",
                                                                                           "超过", "低于", "等于")):
            return ind.name + v
        return ind.name + "为" + v

    l1_seen: list[str] = []
    k = 0
    line3 = None
    for l1, l2, inds in groups:
        if l1 not in l1_seen:
            l1_seen.append(l1)
            k = 0
            if level == 1:
                out.append(f"({nums[len(l1_seen) - 1]})、{l1}")
            elif level == 3:
                line3 = [f"({nums[len(l1_seen) - 1]}){l1}:"]
                out.append(line3)
        k += 1
        body = sep.join(clause(i) for i in inds)
        if level == 3:
            line3.append(f"{l2}:{body}")
        else:
            out.append(f"{k}、{l2}:{body}。")
    facts["prose_lines"] = len(groups)
    return "\n".join(x if isinstance(x, str) else x[0] + "；".join(x[1:]) + "。" for x in out) + "\n"


def phenomenon_sample(rng: random.Random, phenomenon: str, level: int, layout: str = "tab", *,
                      kind: str | None = None, regime: str | None = None, noise: int = 0) -> Sample:
    """A sheet rendered at ``noise`` (tab, layout or pipe text) carrying one real-world phenomenon
    at ``level`` (1-3), with its gold adjusted: see :data:`PHENOMENA` and the table in
    ``docs/benchmarks.md`` ("Generated: real-world phenomena"). ``prose`` is always a
    project sheet (layout ``prose``); ``collapsed`` ignores ``layout`` and ``noise`` (layout
    ``collapsed``, its column order in ``facts['collapsed_layout']``). ``facts`` holds the renderer's stats plus
    ``phenomenon``, ``level`` and ``applied`` (how many times the phenomenon was put in)."""
    if phenomenon not in PHENOMENA or level not in PHENOMENON_LEVELS:
        raise ValueError(f"phenomenon={phenomenon!r} level={level!r}")
    if phenomenon == "prose":
        kind = "project"
    kind = kind or ("department" if rng.random() < 0.65 else "project")
    regime = regime or ("classic" if rng.random() < 0.6 else "2021")
    sheet = make_sheet(rng, kind=kind, regime=regime)
    facts: dict = {"regime": regime, "phenomenon": phenomenon, "level": level, "applied": 0}
    printed = _copy_sheet(sheet)    # what the text shows
    gold_sheet = sheet              # what an expert reads off it
    inds = [i for _, i in _flat(printed)]

    if phenomenon == "prose":
        keep = [i for i in sheet.indicators if not any(c in i.name for c in ",，;；。为是:：")]
        sheet.indicators = keep
        facts.update(layout="prose", noise=0, sheets=1, rows=len(keep))
        text = _prose(sheet, rng, level, facts)
        facts["applied"] = len(keep)
        return Sample(text, gold_of(sheet), facts, sheet, "prose", 0)

    if phenomenon == "collapsed":
        from collapsed_forms import collapse  # (tests/collapsed_forms.py; imports nothing from here)
        columns = rng.choice(_COLLAPSED_LEVEL3 if level == 3 else _COLLAPSED_MILD)
        facts.update(layout="collapsed", noise=0, sheets=1, rows=len(inds), collapsed_layout=columns,
                     per_line=level == 1)
        text = collapse(sheet, rng, columns, per_line=level == 1)
        facts["applied"] = len(inds)
        return Sample(text, gold_of(sheet), facts, sheet, "collapsed", 0)  # (collapse fills weights, scores)

    if phenomenon == "lookalike":
        p = {1: 0.2, 2: 0.35, 3: 0.5}[level]
        for ind in inds:
            t = ind.target.text
            pre = next(((s, o) for s, o in _OP_PREFIX if t.startswith(s)), None)
            if pre is None or pre[1] not in _LOOK[level] or rng.random() >= p:
                continue
            choices = list(_LOOK[level][pre[1]])
            rest = t[len(pre[0]):]
            if "2" in choices:  # an OCR'd ≥ reads as 2 only where the value cannot be right
                tg = ind.target
                if not (tg.unit == "%" and tg.value is not None and 10 <= tg.value <= 100
                        and rest.startswith(_fmt(tg.value)) and any(w in ind.name for w in _BOUNDED)
                        and not any(w in ind.name for w in _RISING)):
                    choices.remove("2")
            ind.target = replace(ind.target, text=rng.choice(choices) + rest)
            facts["applied"] += 1
    elif phenomenon == "unit_only":
        p = {1: 0.12, 2: 0.25, 3: 0.4}[level]
        for ind in inds:
            tg = ind.target
            if tg.value is None or not tg.unit or rng.random() >= p:
                continue
            text = tg.unit
            if level >= 2 and tg.unit == "%" and rng.random() < 0.6:
                text = rng.choice(["≧ %", "≥ %", "=%", "≥%"]) if level == 3 else rng.choice(["≧ %", "≥ %"])
            elif level == 3 and tg.op and rng.random() < 0.3:
                text = rng.choice(["≥", "≤", "="]) + tg.unit
            ind.target = _parse(text)
            facts["applied"] += 1
        gold_sheet = printed
    elif phenomenon == "block_total":
        styles = {1: ["({}分)"], 2: ["({}分)", "（{}分）"], 3: ["({}分)", "（{}分）", "({})", " ({}分)"]}[level]
        l1_text: dict[tuple, str] = {}
        l2_text: dict[tuple, str] = {}
        for fi, ind in _flat(printed):
            key1 = (fi, ind.level1)
            if key1 not in l1_text:
                l1_text[key1] = ind.level1 + rng.choice(styles).format(_BLOCK_POINTS.get(ind.level1, 20))
                facts["applied"] += 1
            key2 = (fi, ind.level1, ind.level2)
            if level >= 2 and key2 not in l2_text:
                l2_text[key2] = ind.level2 + rng.choice(styles).format(rng.choice([5, 10, 15, 20]))
            ind.level1 = l1_text[key1]
            if level >= 2:
                ind.level2 = l2_text[key2]

    trace: dict = {}
    text = (render_pipe if layout == "pipe" else _RENDER[layout])(printed, rng, noise, facts, trace=trace)
    pages = trace["pages"]
    aligned = layout == "layout"
    drop_rows: set[int] = set()     # plan rows (in printed order) the text no longer holds

    if phenomenon == "traditional":
        gloss_p = {1: 0.0, 2: 0.15, 3: 0.5}[level]
        for p in pages:
            for cell in p:
                line = _traditional(cell[2])
                if gloss_p:
                    i = 0
                    while i < len(line):
                        g = _GLOSS.get(line[i])
                        wide = _widen(line, i + 1, f"({g})", aligned) if g and rng.random() < gloss_p else None
                        if wide is not None:
                            line = wide
                            i += len(g) + 2
                            facts["applied"] += 1
                        i += 1
                cell[2] = line
        facts["applied"] += 1
    elif phenomenon == "furniture":
        total = len(pages) if layout == "layout" else rng.randint(2, 3)
        bar = " |" if layout == "pipe" and rng.random() < 0.5 else ""
        if layout != "layout":  # break the one page of tab or pipe text into pages at row starts
            starts = [li for _, li in _row_starts(pages)]
            cuts = sorted(rng.sample(starts[1:], min(total - 1, len(starts) - 1))) if len(starts) > 1 else []
            lines = pages[0]
            pages = [lines[a:b] for a, b in zip([0] + cuts, cuts + [len(lines)])]
            total = len(pages)
        style = rng.choice(_PAGE_NUMBERS[:3] if level == 1 else _PAGE_NUMBERS)
        for pi, p in enumerate(pages):
            if layout == "layout" and p and p[-1][0] == "footer":
                del p[-2:]
            pad = " " * rng.randint(30, 50) if aligned else ""
            p += [["blank", None, ""], ["footer", None, pad + style.format(p=pi + 1, t=total) + bar]]
            facts["applied"] += 1
            if level == 3 and pi < total - 1 and rng.random() < 0.5:
                p.append(["site", None, f"{printed.title}_第{pi + 1}页"])
        if level >= 2:
            fill = dict(n=rng.randint(100000, 9999999), k=rng.randint(1, 9), n2=rng.randint(2, 60),
                        t=f"{printed.year}年{rng.choice(['部门预算公开', '项目支出绩效目标表'])}",
                        y=printed.year, m=rng.randint(1, 9), u=printed.supervisor or printed.unit)
            before = rng.sample(_SITE_BEFORE, rng.randint(1, 3))
            after = rng.sample(_SITE_AFTER, rng.randint(1, 3))
            if level == 3:
                before.append(_SITE_L3[0])
                after.insert(0, rng.choice(_SITE_L3[1:]))
            pages[0][:0] = [["site", None, s.format(**fill)] for s in before]
            pages[-1] += [["site", None, s.format(**fill)] for s in after]
            facts["applied"] += len(before) + len(after)
    elif phenomenon == "repeated_heading":
        heading = [c[2] for c in pages[0] if c[0] == "heading"]
        starts = _row_starts(pages)[2:-1]
        every = {1: None, 2: (8, 12), 3: (3, 6)}[level]
        picks = [rng.choice(starts)] if every is None and starts else []
        if every:
            i = rng.randint(*every)
            while i < len(starts):
                picks.append(starts[i])
                i += rng.randint(*every)
        for pi, li in sorted(picks, reverse=True):
            extra = [["heading", None, h] for h in heading]
            if level == 3 and rng.random() < 0.5:
                extra.insert(0, ["blank", None, ""])
            pages[pi][li:li] = extra
            facts["applied"] += 1
    elif phenomenon == "headless":
        if level >= 2:
            gold_sheet = _copy_sheet(sheet)
            for f in ("title", "unit", "supervisor", "project", "funds", "overview"):
                setattr(gold_sheet, f, None)
            gold_sheet.goals = []
        for p in pages[:1]:
            p[:] = [c for c in p if c[0] != "heading" and (level == 1 or c[0] != "head")]
        if level == 3:  # the excerpt starts mid-table: at a function (department) or a 一级 block
            starts = _row_starts(pages)
            rows_of = [(fi, ind) for fi, ind in _flat(printed)]
            if printed.kind == "department" and len(printed.functions) > 1:
                cut_f = 1
                first = next(r for r, (fi, _) in enumerate(rows_of) if fi == cut_f)
                gold_sheet.functions = gold_sheet.functions[cut_f:]
            else:
                bounds = [r for r in range(1, len(rows_of)) if rows_of[r][1].level1 != rows_of[r - 1][1].level1]
                first = bounds[0] if bounds else 0
                gold_sheet.indicators = gold_sheet.indicators[first:]
            pi, li = starts[first]
            pages = pages[pi:]
            pages[0] = pages[0][li:]
            drop_rows |= set(range(first))
        facts["applied"] += 1
    elif phenomenon == "truncated":
        starts = _row_starts(pages)
        last = len(starts) - 1
        pi, li = starts[last]
        p = pages[pi]
        end = li
        while end < len(p) and p[end][0] == "row" and p[end][1] == last:
            end += 1
        rowlines = p[li:end]
        value = [i for _, i in _flat(sheet)][last].target.text
        name = [i for _, i in _flat(sheet)][last].name
        anchor = next(k for k, c in enumerate(rowlines) if value in c[2])
        line = rowlines[anchor][2]
        at = line.rindex(value)
        if level == 1:      # inside the name: the value is gone
            first_name = next(k for k, c in enumerate(rowlines) if name[:2] in c[2] or name[:1] in c[2])
            ln = rowlines[first_name][2]
            frag = ln.find(name[:2]) if name[:2] in ln else ln.find(name[:1])
            kept = rowlines[:first_name] + [[*rowlines[first_name][:2], ln[:frag + max(1, len(name) // 3)]]]
            if first_name == anchor:
                kept[-1][2] = kept[-1][2][:min(len(kept[-1][2]), at)].rstrip("\t ")
                if not kept[-1][2].strip():
                    kept[-1][2] = line[:at].rstrip() + ("\t" if layout == "tab" else "")
        elif level == 2:    # after the name: the value cell empty or only its operator
            pre = next((s for s, _ in _OP_PREFIX if value.startswith(s)), "")
            kept = rowlines[:anchor] + [[*rowlines[anchor][:2], line[:at] + pre]]
        else:               # inside the value: what is left still looks like a value
            digits = [k for k, ch in enumerate(value) if ch.isdigit()]
            cut = digits[len(digits) // 2] + 1 if len(digits) > 1 else (
                digits[0] + 1 if digits and digits[0] + 1 < len(value) else max(1, len(value) // 2))
            kept = rowlines[:anchor] + [[*rowlines[anchor][:2], line[:at] + value[:cut]]]
        pages = pages[:pi] + [p[:li] + kept]
        drop_rows.add(last)
        facts["cut_row"] = {"name": name, "target": value}
        gold_sheet = _copy_sheet(sheet)
        gone = [(fi, ind) for fi, ind in _flat(gold_sheet)][last]
        if gone[0] is None:
            gold_sheet.indicators.pop()
        else:
            gold_sheet.functions[gone[0]].indicators.pop()
            if layout == "layout":  # its description may run on below the cut (not part of F1)
                facts.setdefault("lost_functions", []).append(gone[0])
        facts["applied"] += 1

    text = _pages_text(pages, layout)
    if phenomenon == "truncated":
        text = text.rstrip("\f\n") + ("\n" if level < 3 else "")
    gold = gold_of(gold_sheet, facts if phenomenon not in ("headless",) or level < 3 else None)
    if phenomenon == "headless" and level == 3 and printed.kind == "department" and len(printed.functions) > 1:
        lost = [fi - 1 for fi in facts.get("lost_functions", ()) if fi >= 1]
        for fi in lost:
            gold["functions"][fi]["description"] = None
    facts["dropped_rows"] = sorted(drop_rows)
    return Sample(text, gold, facts, gold_sheet, layout, noise)


def phenomenon_samples(n: int, phenomenon: str, level: int, *, seed: int = 0, layouts=("tab", "layout", "pipe"),
                       noise: int = 0) -> list[Sample]:
    """``n`` samples of one phenomenon at one level, alternating the layouts (prose, collapsed: their own);
    random streams of their own (``jixiao-phen:…``), apart from :func:`samples`'."""
    return [phenomenon_sample(random.Random(f"jixiao-phen:{seed}:{phenomenon}:{level}:{noise}:{i}"), phenomenon,
                              level, layouts[i % len(layouts)], noise=noise) for i in range(n)]

"""What an indicator *name* says about the indicator: a rate, a satisfaction, a count,
a staff number, a fund-execution rate … (domain.md §1.3, §2.3, §3).

Chinese names put the head noun last ("投诉处理满意度" is a satisfaction), so most
classes look at the end of the cleaned name. All patterns are compiled once here;
rules only test membership in ``Item.kinds``.
"""
from __future__ import annotations

import re

# Trailing notes and punctuation that say nothing about what is measured:
# "…人数(含临聘人员)", "…较往年提升。"
_TAIL = re.compile(r"(?:\s*[(（][^()（）]{0,20}[)）])+\s*$|[\s。.,，;；:：!！]+$")

RATE = re.compile(r"(?:率|比例|比重|占比|满意度|满意程度|知晓度|知晓程度|便利度|方便度|认可度|参与度"
                  r"|完成度|覆盖度|达标度|满意率)$")
SATISFACTION = re.compile(r"满意|好评率")
# Rates that cannot exceed 100% (R12); growth-type rates may.
BOUNDED = re.compile(r"(?:合格|覆盖|完成|及时|达标|知晓|准确|到位|执行|办结|入学|普及|优良|规范|完好|合规"
                     r"|通过|利用|参与|签约|使用|兑现|发放|处理|化解|成功|验收|正确|满意|巩固|参保|救治"
                     r"|接种|检出|处置|响应|建档|录入|上报|整改|结案|出勤|回收|收集|清运)率$|满意度$|满意程度$")
GROWTH = re.compile(r"增长|同比|增幅|提升|提高|增加|下降|减少|降低|变动|压减|较上年|比上年|较往年")
COMPLETION = re.compile(r"(?:完成|验收合格|验收通过|验收|办结|兑现)率$")
COUNT = re.compile(r"(?:次数|人数|人次|场次|个数|户数|家数|件数|期数|份数|频次|场数|册数|篇数|起数"
                   r"|(?<![指系分基倍函岁])数|数量|总数)$")
TIMELY = re.compile(r"(?:及时率|按时\w{0,4}率|按期\w{0,4}率|时限|完成时间|办结时间|发放时间|截止时间)$")
# Staff on the payroll counted as an output: an input, not a result (R18, "staff").
STAFF = re.compile(r"(?:在职|在编|在岗|编制内?|临聘|聘用|干部职工|机关干部|工作人员|职工|(?<!培训)(?<!参训)干部)"
                   r"(?:人员)?(?:人数|数量|总数)?$|^(?:聘用|聘请|招聘|雇用|配备)[^,，、]{0,6}(?:员|工)(?:人数|数量)?$"
                   r"|^机关[^,，、]{0,6}人数$"
                   # hired or assigned for the work, whatever the role: "聘请授课教师", "配备专职律师"
                   r"|^(?:聘用|聘请|聘任|选聘|雇用|雇佣|配备|配齐)[^,，、]{0,8}(?:员|师|医生|村医|干部|工|者|专家|顾问|社工"
                   r"|专干|人)(?:人数|数量)?$"
                   r"|(?<!农民)工人(?:人数|数量|总数)?$"
                   # people in a role of the project's own staffing: "项目管理人员 8人"
                   r"|(?:管理|技术|专业技术|专技|工作|医护|医务|施工|监理|值班|驻村|执法|辅助|安保|后勤|保安|派驻)"
                   r"(?:人员|队员)(?:人数|数量|总数)?$"
                   r"|^[^,，、]{0,4}(?:网格|保洁|护林|协管|联络|信息|治安|巡防|护路|管水|安全|专职|兼职)员(?:人数|数量)?$")
# A name whose head is a role (网格员, 防疫专员, 专任教师, 服务人员 …): people who do the work.
# Trainees, members and the groups a programme serves (困难人员, 退役人员) are not staff.
STAFF_ROLE = re.compile(r"(?:(?<![学会党团动成演])员|人员|师|医生|村医|护士|干部|职工|工人|专干|社工|辅警|协警"
                        r"|(?:护|保洁|环卫|养护|清洁|技|勤杂|杂)工|顾问|书记|网格长|河长|林长|路长|田长)(?:人数|数量|总数)?$")
SERVED_GROUP = re.compile(r"困难|贫困|失业|残疾|残障|退役|退休|服刑|刑满|吸毒|流动|务工|外出|返乡|低收入|特困|留守|优抚"
                          r"|受益|救助|安置|参保|参训|受训|学生|志愿|岗位|公益|就业|脱贫|监测对象"
                          # "参与活动人员", "参赛队员": participants; "参与课后服务教师" still staff
                          r"|(?:参与|参加|参赛)[^,，、]*(?:人员|队员|运动员|者)(?:人数|数量)?$")
# 资金到位率 / 预算执行率 …: budget execution is scored on its own (10 分), never a result.
FUND_RATE = re.compile(r"(?:资金|预算|经费|财政资金|项目资金|支出)(?:到位|执行|拨付|支付|使用|支出|完成|发放|兑付|下达)率$"
                       r"|支出进度(?:率)?$|预算执行进度$")
# Money is a fine result when it measures an economic effect (带动增收, 产值, 节约资金).
ECON_RESULT = re.compile(r"增收|产值|收入|创收|利润|税收|增加值|节约|节省|效益|拉动|带动|营收|销售额|产量"
                         r"|招商|引资|引进资金|争取.{0,4}资金|融资"
                   # what others put in because of the money: "企业研发投入", "带动社会资本投资"
                   r"|(?:企业|社会|民间|社会资本|金融机构|银行|农户|市场主体)[^,，、]{0,6}(?:投入|投资|贷款)")
MONEY_WORD = re.compile(r"成本|费用|经费|资金|金额|补助|补贴|投资|报酬|工资|单价|标准|预算|支出")
TIME_WORD = re.compile(r"时限|时长|天数|周期|用时|响应时间|办理时间|工期")
# Generic management indicators (R21 focus): present in nearly every sheet, measure little.
GENERIC = re.compile(r"正常运转|日常办公|机关运行|交办|履行.{0,8}职责|三公|合规|规范性|规范率|档案|制度"
                     r"|廉政|作风建设|意识形态|政务公开|信息报送|考勤|办公经费|运转保障|工作任务完成")

_COUNT_UNITS = (("人次", "人次"), ("次数", "次"), ("人数", "人"), ("场次", "场次"), ("户数", "户"),
                ("个数", "个"), ("家数", "家"), ("件数", "件"), ("期数", "期"), ("份数", "份"),
                ("频次", "次"), ("场数", "场"), ("册数", "册"), ("篇数", "篇"), ("起数", "起"))


_TAIL_CHARS = frozenset(")）。.,，;；:：!！ \t\n")


def core_name(name: str) -> str:
    """The name without trailing notes and punctuation."""
    s = name.strip()
    if not s or s[-1] not in _TAIL_CHARS:
        return s                                   # the common case, without a regex
    prev = None
    while s != prev:
        prev, s = s, _TAIL.sub("", s)
    return s or name.strip()


# Cheap guards on the last character: most end-anchored classes cannot match otherwise,
# which saves most regex calls on a large sheet.
_ENDS_RATE = frozenset("率例重比度")
_ENDS_COUNT = frozenset("数次量")
_ENDS_TIMELY = frozenset("率限间")
_ENDS_STAFF = frozenset("职编制内聘用工部员数量人师生医士干警问记长")
_HIRED = ("聘用", "聘请", "聘任", "选聘", "雇用", "雇佣", "配备", "配齐")


def classify(core: str) -> frozenset[str]:
    """Name classes: rate, satisfaction, bounded, growth, completion, count, timely, staff,
    fund_rate, econ_result, money, time, generic."""
    k = []
    last = core[-1:]
    rate_end = last in _ENDS_RATE
    if rate_end and RATE.search(core):
        k.append("rate")
    if "满意" in core or "好评率" in core:
        k.append("satisfaction")
    growth = GROWTH.search(core) is not None
    if growth:
        k.append("growth")
    if rate_end:
        if not growth and BOUNDED.search(core):
            k.append("bounded")
        if last == "率" and COMPLETION.search(core):
            k.append("completion")
        if FUND_RATE.search(core):            # …率, …进度
            k.append("fund_rate")
    if last in _ENDS_COUNT and COUNT.search(core):
        k.append("count")
    if last in _ENDS_TIMELY and TIMELY.search(core):
        k.append("timely")
    if (last in _ENDS_STAFF or core.startswith(_HIRED)) and (
            STAFF.search(core) or (STAFF_ROLE.search(core) and not SERVED_GROUP.search(core))):
        k.append("staff")
    if ECON_RESULT.search(core):
        k.append("econ_result")
    if MONEY_WORD.search(core):
        k.append("money")
    if TIME_WORD.search(core):
        k.append("time")
    if GENERIC.search(core):
        k.append("generic")
    return frozenset(k)


def implied_unit(core: str, kinds: frozenset[str]) -> str | None:
    """The unit a name implies, in words for a message: "次", "%", "元或万元" …"""
    for suffix, unit in _COUNT_UNITS:
        if core.endswith(suffix):
            return unit
    if "rate" in kinds:
        return "%"
    if "time" in kinds:
        return "天、工作日或小时"
    if "money" in kinds and "rate" not in kinds:
        return "元或万元"
    if "count" in kinds:
        return "个、项、人等计量单位"
    return None


# --- direction (R13): the LAST cue in the name decides --------------------------------------
_DIRECTION_CUE = re.compile(
    r"(?P<pos>(?:挽回|减少|避免|降低)[^,，、]{0,6}损失|(?:追回|查处|纠正|打击|查办)[^,，、]{0,6}(?:违规|违法|违纪)"
    r"|满意|合格|覆盖|达标|知晓|优良|通过率|完成|及时|办结|到位|兑现|下降率|减少率|降低率|压减率"
    r"|节约|增长|增收|产值|收入|入学|普及|准确|化解|利用率"
    # handling what went wrong is positive whatever it handles: "投诉处理率", "隐患整改率"
    r"|(?:处理|处置|整改|解决|回复|答复|调处|受理|结案|查处|办理|销号)率"
    # what is paid back of a cost: "住院费用报销比例"
    r"|报销|补偿|赔付"
    # time saved is positive: "承诺办结时限压缩比例"
    r"|(?:压缩|缩短|缩减|精简|提速)(?:比例|率|幅度))"
    r"|(?P<neg>成本|费用|事故|投诉|差错|超支|结余|违规|超标|发生率|损失|时限|时长|用时|响应时间|办理时间"
    r"|办结时间|单价)")


def expected_direction(core: str) -> str | None:
    """'positive' (≥, >, =) or 'negative' (≤, <) from the name, None without a cue."""
    cue = None
    for m in _DIRECTION_CUE.finditer(core):
        cue = m.lastgroup
    return {"pos": "positive", "neg": "negative"}.get(cue) if cue else None


# --- vague wording: an adverb of degree + a verb of change, with no number ----------------
VAGUE = re.compile(
    r"(?:进一步|明显|有效|逐步|有所|不断|持续|稳步|显著|大幅|较大|全面|切实|积极|大力|较好|普遍|日益|"
    r"较为?明显|一定程度)(?:提高|提升|改善|增强|加强|增加|增长|好转|推进|完善|优化|降低|减少|下降|改进|加快"
    r"|扩大|缩小|规范|落实|保障|遏制|控制|巩固|减轻|缓解|丰富|提速|恢复|维护|深化|拓展|提质)"
    r"|充分发挥|有力发挥|充分体现|有力保障|有力支撑"
    r"|^(?:效果明显|成效明显|成效显著|效果显著|效果良好|显著|明显|提高|提升|改善|增强|加强|下降|减少"
    r"|增加|好转|有效|有效果|有成效|较大提升|大幅提升|得到提升|得到改善|得到提高|稳步推进|缩短|降低|加快|优化"
    r"|得到(?:有效)?(?:维护|保障|落实|加强|巩固|增强|保护|遏制|控制|提升|改善|提高)"
    r"|完善|减轻|扩大|提速|增长)$")


# A short value that only says which way things should move ("更加浓厚", "持续向好",
# "进一步减轻"), with no number: vague whatever the adverb. Graded values seen on real
# forms (持续发挥作用, 有所提升 …) are left to the graded-value rule.
_SHORT_CHANGE = re.compile(r"[^\d%]{0,4}?(?:提高|提升|改善|增强|加强|减少|下降|降低|缩短|加快|优化|完善|减轻|扩大|丰富"
                           r"|浓厚|向好|好转|增加|增长|巩固|提速|减缓|延长|拓宽|缩小)[^\d%]{0,2}"
                           r"|(?:更加|更为|愈加|日趋|越来越)[^\d%]{1,4}")
_GRADED_VALUES = frozenset(("持续发挥作用", "有所提升", "明显提升", "显著提升", "逐步提升", "逐步改善"))


def vague_phrase(text: str) -> str | None:
    """The vague phrase in ``text`` ("进一步提高", "明显改善" …), or None."""
    s = text.strip()
    m = VAGUE.search(s)
    if m:
        return m[0]
    if s not in _GRADED_VALUES and _SHORT_CHANGE.fullmatch(s):
        return s
    return None

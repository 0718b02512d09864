"""指标分类: 一级/二级 are valid, and the name fits the category it is filed under (R7, R9)."""
from __future__ import annotations

import re

from ...model.indicator import (
    COST2,
    ECOLOGICAL,
    ECON_COST,
    ECONOMIC,
    EFFECT,
    OUTPUT,
    QUALITY,
    QUANTITY,
    RECIPIENT,
    SATISFACTION,
    TIMELINESS,
    is_valid_pair,
)
from ...model.indicator import LEVEL2_OF as _LEVEL2_OF
from ..registry import BASIC, Example, econ, ind, project, qty, qual, rule, sat, social, timely

_QUANTIFY_FIRST = frozenset((QUANTITY, COST2, ECON_COST))


def _where(it) -> str:
    return f"{it.ind.level1 or '—'}/{it.ind.level2 or '—'}"


@rule("R7", "error", title="二级指标与一级指标不对应",
      checks="一级、二级指标都已填写且是标准名称 (含别名), 二级指标属于它的一级指标; "
             "接受实际批复表中的混合写法 (如“产出指标/经济成本指标”)。",
      why="指标体系是评分和汇总的骨架 (财预〔2015〕88号、〔2021〕101号); 错挂的二级指标使权重和得分归错类。",
      fails=Example(project(*BASIC, ind("产出指标", "社会效益指标", "政策宣传覆盖率", "≥90%"))),
      passes=Example(project(*BASIC, ind("效益指标", "社会效益指标", "政策宣传覆盖率", "≥90%"))))
def category_valid(ctx):
    for it in ctx.items:
        i = it.ind
        # A missing or unknown label is usually a cell the form or the import lost: a
        # warning. Only a 二级 under the wrong 一级 is an error of the sheet itself.
        if it.l1 is None:
            what = f"“{i.level1}”不是标准的一级指标" if i.level1 else "缺少一级指标"
            hit = ctx.at(it, "level1", f"“{it.name}”{what}", "一级指标应为产出指标、效益指标、满意度指标或成本指标")
            hit.severity = "warning"
            yield hit
        elif it.l2 is None:
            what = f"“{i.level2}”不是标准的二级指标" if i.level2 else "缺少二级指标"
            hit = ctx.at(it, "level2", f"“{it.name}”{what}",
                         f"在“{i.level1}”下选择标准的二级指标 (如{'、'.join(_LEVEL2_OF.get(it.l1, ())[:3])})")
            hit.severity = "warning"
            yield hit
        elif not is_valid_pair(it.l1, it.l2):
            yield ctx.at(it, "level2", f"“{it.name}”的二级指标“{i.level2}”不属于一级指标“{i.level1}”",
                         "把指标移到正确的一级指标下, 或改选该一级指标下的二级指标")


@rule("R9", "warning", title="数量或成本指标使用定性值",
      checks="数量指标、成本指标、经济成本指标应先量化, 不宜用“达到预期”“效果明显”等定性表述。",
      why="优先定量 (细化量化): 数量和成本天然可以计数或计价, 定性值无法考核。",
      fails=Example(project(*BASIC, qty("培训覆盖面", "达到预期"))),
      passes=Example(project(*BASIC, qty("培训覆盖村数", "≥20个"))))
def quantify_first(ctx):
    for it in ctx.items:
        t = it.t
        if it.l2 in _QUANTIFY_FIRST and t is not None and t.kind == "qualitative":
            yield ctx.at(it, "target", f"{_where(it)}下的“{it.name}”使用定性值“{t.text}”",
                         f"改为{'金额 (“≤…万元”或“≤…元/…”)' if it.l2 != QUANTITY else '具体数量及单位 (“≥…个”“≥…人次”)'}")


@rule("V-SAT-MISPLACED", "warning", title="满意度指标放错分类", supersedes=("V-CATEGORY-FIT",),
      checks="名称为…满意度的指标放在满意度指标下; 满意度指标下只放满意度。",
      why="满意度单独占自评的 10 分; 放在效益下会重复计分, 效益指标放在满意度下则使满意度失真。",
      fails=Example(project(*BASIC, social("文体活动演出居民满意度", "≥95%"))),
      passes=Example(project(*BASIC, sat("文体活动演出居民满意度", "≥95%"))))
def satisfaction_misplaced(ctx):
    for it in ctx.items:
        in_sat = it.l1 == SATISFACTION or it.l2 == RECIPIENT
        if "satisfaction" in it.kinds and not in_sat and it.l1 is not None:
            yield ctx.at(it, "level2", f"满意度指标“{it.name}”放在了“{_where(it)}”下",
                         "移到满意度指标/服务对象满意度指标下")
        elif in_sat and "satisfaction" not in it.kinds and it.core and it.t is not None:
            yield ctx.at(it, "level2", f"“{it.name}”不是满意度, 却放在了“{_where(it)}”下",
                         "移到对应的产出或效益指标下; 满意度指标下只放“…满意度”")


@rule("V-COUNT-IN-QUALITY", "warning", title="计数指标放在质量指标下", supersedes=("V-CATEGORY-FIT",),
      checks="质量指标衡量合格率、达标率等比率; 次数、人数、个数等计数 (以次、人、个计的值) 属于数量指标。",
      why="数量与质量分开考核: 计数放在质量下, 质量实际上没有被考核。",
      fails=Example(project(*BASIC, qual("征兵宣传次数", "=2次"))),
      passes=Example(project(*BASIC, qty("征兵宣传次数", "=2次"))))
def count_in_quality(ctx):
    for it in ctx.items:
        if it.l2 != QUALITY or "rate" in it.kinds:
            continue
        if "count" in it.kinds or it.family == "count":
            yield ctx.at(it, "level2", f"计数指标“{it.name}”({it.t.text if it.t else '无指标值'})放在了质量指标下",
                         "移到数量指标下; 质量指标改用合格率、达标率等 (如“…合格率 ≥95%”)")


@rule("V-RATE-IN-QUANTITY", "warning", title="比率指标放在数量指标下", supersedes=("V-CATEGORY-FIT",),
      checks="数量指标是计数或实物量; 合格率、覆盖率等比率或以 % 计的值一般属于质量、时效或效益指标。",
      why="数量指标考核“做了多少”, 比率放在数量下, 数量本身就没有了目标。",
      fails=Example(project(*BASIC, qty("培训合格率", "≥95%"))),
      passes=Example(project(*BASIC, qual("培训合格率", "≥95%"))))
def rate_in_quantity(ctx):
    for it in ctx.items:
        if it.l2 == QUANTITY and ("rate" in it.kinds or it.family == "percent"):
            yield ctx.at(it, "level2", f"“{it.name}”({it.t.text if it.t else '无指标值'})是比率, 却放在了数量指标下",
                         f"移到{_rate_home(it)}下; 数量指标另写完成的具体数量 (件、次、个等)")


@rule("V-TIMELINESS-MISPLACED", "info", title="及时率、时限放在数量或质量指标下", supersedes=("V-CATEGORY-FIT",),
      checks="…及时率、按期完成率、…时限等衡量时间的指标属于时效指标。",
      why="时效指标单列, 以便监控进度; 放在数量或质量下, 进度就无人考核。",
      fails=Example(project(*BASIC, qual("经费拨付及时率", "=100%"))),
      passes=Example(project(*BASIC, ind("产出指标", "时效指标", "经费拨付及时率", "=100%"))))
def timeliness_misplaced(ctx):
    for it in ctx.items:
        if it.l1 == OUTPUT and it.l2 in (QUANTITY, QUALITY) and "timely" in it.kinds:
            yield ctx.at(it, "level2", f"时效类指标“{it.name}”放在了“{_where(it)}”下", "移到时效指标下")


def _rate_home(it) -> str:
    if "timely" in it.kinds:
        return "时效指标"
    if "bounded" in it.kinds and not _EFFECT_RATE.search(it.core):
        return "质量指标"
    return "效益指标 (社会效益)" if _EFFECT_RATE.search(it.core) else "质量指标"


_EFFECT_RATE = re.compile(r"知晓|普及|覆盖|受益|参保|入学|就业|化解|保障")

# Cues for a name that does not fit its 二级, each with the category it belongs to.
# Stock counts: what exists in the area, not what the money produced ("行政村数量 =11个").
_STOCK_OBJECT = (r"(?:行政村|自然村|村组|村民小组|社区|村|乡镇|居委会"
                 r"|团组织|党组织|基层党组织|党支部|村级组织|村级党组织|村民委员会|居民委员会|村\(社区\)|村（社区）"
                 r"|学校|中小学|幼儿园|医院|卫生院|企业|户籍人口|常住人口|服务人口|人口|户籍户|农户"
                 r"|在校学生|在校生|在园幼儿|在册学生|在籍学生|在册)")
_STOCK_COUNT = r"(?:个数|数量|总数|数|户数|人数|总人数)"
# With the area named ("辖区常住人口", "全县中小学") or a population, the count word may be left out.
_STOCK = re.compile(rf"^(?:(?:辖区|全镇|全乡|全县|全区|全市|本镇|本乡|本县)(?:内)?{_STOCK_OBJECT}{_STOCK_COUNT}?"
                    rf"|{_STOCK_OBJECT}{_STOCK_COUNT}|(?:常住|户籍|服务)人口)$")
# "在册社区矫正对象", "现有低保户数": people on a register, counted as if produced.
_ON_ROLL = re.compile(r"^(?:在册|在籍|在园|在校|在读|在院|在养|在管|在档|现有|存量)([^,，、]{1,10}?)"
                      r"(?:人数|户数|数量|总数|对象)?$")
# "义务教育学校 58所", "乡镇卫生院 15所": institutions named with no work done on them.
_INSTITUTION = re.compile(r"^(?P<q>[^\d,，、]{0,6}?)(?:学校|中小学|小学|中学|幼儿园|医院|卫生院|卫生室|养老院|敬老院|福利院"
                          r"|行政村|自然村|社区|乡镇|企业|合作社|家庭农场|景区|图书馆|文化站|农家书屋"
                          r"|服务站|工作站|服务中心|服务点|站所|驿站|监测站|服务室"
                          # designated lists: what is on them is a stock, not this year's work
                          r"|非遗项目|代表性项目|文物保护单位|传统村落|历史建筑|A级景区)"
                          r"(?:个数|数量|总数|数)?$")
# "防返贫监测对象 1250户", "低保对象 2000人": the people a register holds, with nothing done to them.
_REGISTER = re.compile(r"^(?P<q>[^\d,，、]{0,10}?)对象(?:户数|人数|数量|总数|数)?$")
_ACTED_ON = re.compile(r"救助|帮扶|纳入|认定|识别|落实|消除|资助|保障|发放|补助|补贴|走访|慰问|服务|安置|培训"
                       r"|新增|覆盖|受益|享受|解除|退出|销号")
# "公交车辆 320辆": assets the unit or operator has, counted as if produced.
_ASSET = re.compile(r"^(?P<q>[^\d,，、]{0,6}?)(?:车辆|公交车|客车|校车|船舶|设备|计算机|电脑|服务器|办公用房|房屋|床位|农机"
                    r"|机械|道路|公路|河道|河流|管网|桥梁|绿地|公园|路灯)(?:数量|总数|台数|里程|长度|面积|数)?$")
_ACQUIRED = re.compile(r"购置|采购|购买|配置|配备|更新|维护|维修|运维|安装|新增|新建|改造|投放|补贴|补助|报废|淘汰")
# "全县耕地面积 50万亩", "辖区内企业数量": what the area has, named as such.
_AREA_STOCK = re.compile(r"^(?:辖区|全镇|全乡|全县|全区|全市|本镇|本乡|本县|全村|本村)(?:内)?(?P<q>[^\d,，、]{0,6}?"
                         r"(?:耕地|林地|森林|草原|草地|湿地|土地|国土|水域|水面|人口|企业|市场主体|农户|居民|家庭|学校|学生"
                         r"|医疗机构|养老机构|商户|个体工商户|经营主体|道路|公路|河道|河流|河湖|水库|桥梁|绿地|公园))"
                         r"(?:面积|人口|户数|人数|个数|数量|总数|总量|里程|长度|数)?$")
_RESULT_QUALIFIER = re.compile(r"示范|标准化|达标|创建|合格|星级|美丽|文明|规范化|提升|改|建|覆盖|受益|帮扶|结对|联系|重点"
                               r"|新增|新|扶持|支持|补助|奖补|认定|评定|培育|发展|引进|入驻|签约|服务|对接|整治|治理|验收"
                               r"|挂牌|运营|开放|检查|抽查|督查|巡查|走访|慰问|培训|宣传|指导|监测|考核|评估|获评|达到|完成")
_SAFETY = re.compile(r"安全|事故|伤亡|治安|稳定|火灾|应急")
_COST_WORD = re.compile(r"成本|费用|经费|单价|造价|投资|资金")
_TIME_WORD = re.compile(r"及时|按时|按期|准时|如期|限时|时限|时效|时间|进度|周期|期限|工作日|当日|当天|天|月|小时|日内")
_WORK = re.compile(r"检查|培训|宣传|宣讲|开展|举办|召开|走访|巡查|执法|发布|印发|组织|排查|督查|慰问|演出|会议"
                   r"|新建|修建|硬化|建设|改造|安装|购置|维修|铺设")
_BENEFIT = re.compile(r"受益|覆盖|带动|惠及|服务对象|参与|就业|增收|减少|下降|降低|发生")
_GUARANTEE = re.compile(r"保障|到位|足额|拨付|发放|运转|工资|报酬|补助|补贴")


def _fit(it) -> tuple[str, str] | None:
    """(what is wrong, where it belongs) for a name that does not fit its category."""
    core, l1, l2 = it.core, it.l1, it.l2
    # What exists is stated as a fact ("58所", "=56个"); "≥12所" is work to be done, whatever the name.
    stated = it.t is not None and it.t.op not in ("≥", ">")
    if l1 in (OUTPUT, EFFECT) and (roll := _ON_ROLL.search(core)):
        return ("是名册上现有对象的数量 (存量), 不是本年度工作的产出",
                f"改为对这些对象开展工作的成果, 如“{roll[1]}”的走访、教育、帮扶人次或覆盖率")
    if l2 == QUANTITY and stated and (inst := _INSTITUTION.search(core)) and not _RESULT_QUALIFIER.search(inst["q"]) \
            and not _STOCK.search(core):
        return ("是现有机构或对象的数量 (存量), 不是本年度资金带来的产出",
                f"改为对这些对象开展工作的成果, 如“{core}”的改造、覆盖、检查、服务的数量或比率")
    if l2 == QUANTITY and stated and (reg := _REGISTER.search(core)) and not _ACTED_ON.search(reg["q"]) \
            and not _WORK.search(reg["q"]):
        return ("是名册上现有对象的数量 (存量), 不是本年度工作的产出",
                f"改为对这些对象开展工作的成果, 如“{core}”的帮扶、走访人次或措施落实率")
    if l2 == QUANTITY and stated and (asset := _ASSET.search(core)) and not _ACQUIRED.search(asset["q"]) \
            and not _RESULT_QUALIFIER.search(asset["q"]) and not _WORK.search(asset["q"]) \
            and not re.search(r"硬化|清扫|保洁|养护|疏浚|清淤|绿化|亮化", core):
        return ("是现有资产或设施的数量 (存量), 不是本年度资金带来的产出",
                f"改为这些资产提供的服务或本年度新增、更新的数量, 如“{core}”的运营里程、服务人次或新购置数量")
    if l2 == QUANTITY and stated and (area := _AREA_STOCK.search(core)) and not _RESULT_QUALIFIER.search(area["q"]) \
            and not _WORK.search(area["q"]) and not _BENEFIT.search(area["q"]) and not _STOCK.search(core):
        return ("是辖区现有的数量 (存量), 不是本年度资金带来的产出",
                "改为本年度工作完成的数量, 如新增、改造、检查、服务的面积、户数或次数")
    if l1 in (OUTPUT, EFFECT) and (stock := _STOCK.search(core)) and "受益" not in core:
        obj = re.sub(r"(?:个数|数量|总数|户数|总人数|人数|数)$", "", stock[0])
        return ("是辖区现有对象的数量 (存量), 不是本年度资金带来的产出或效果",
                f"改为对这些对象开展工作的成果, 如“工作覆盖{obj}数”或对{obj}开展服务、走访、整治的次数")
    if l2 == ECOLOGICAL:
        if _COST_WORD.search(core) and "节约" not in core and "节省" not in core:
            return ("衡量的是成本或资金, 不是生态效益", "移到成本指标下, 以元或万元计")
        if _SAFETY.search(core) and not re.search(r"生态|环境|水土|森林|林草|污染|排放", core):
            return ("衡量的是安全或稳定, 不是生态效益", "移到社会效益指标下 (或作为质量指标)")
    if l2 == TIMELINESS and core.endswith("率") and not _TIME_WORD.search(core):
        return ("是一个比率, 名称中没有任何时间要求, 不是时效指标",
                "移到质量指标下; 时效指标写完成时限或及时率 (如“…及时率”“…前完成”)")
    if l2 == ECONOMIC and _GUARANTEE.search(core) and "econ_result" not in it.kinds:
        return ("衡量的是资金或待遇的保障发放, 不是经济效益 (增收、产值、节支)",
                "移到社会效益指标下, 或改为这笔资金带来的经济效果 (如带动增收、节约支出)")
    if l1 == OUTPUT and "econ_result" in it.kinds and (re.search(r"增收|产值|利润|创收|销售额", core)
                                                      or (it.family == "money" and re.search(
                                                          r"招商|引资|(?:企业|社会|民间|金融|银行|农户|市场主体)"
                                                          r"[^,，、]{0,6}(?:投入|投资|贷款)", core))):
        return ("衡量的是经济效果, 不是产出", "移到效益指标/经济效益指标下")
    if l1 == EFFECT and it.family in ("count", "physical") and _WORK.search(core) and not _BENEFIT.search(core) \
            and l2 != ECOLOGICAL:
        return ("是完成的工作量 (检查、培训、建设的次数、家数或里程), 属于产出, 不是效益",
                "移到产出指标/数量指标下; 效益指标写这些工作带来的效果 (如违法案件下降、知晓率提高)")
    if l1 == EFFECT and re.search(r"(?:完成|验收合格|验收通过|验收)率$", core) and not _BENEFIT.search(core):
        return ("是工作完成的程度, 属于产出, 不是效益", "移到产出指标/质量指标下; 效益指标写完成后带来的效果")
    if l1 == OUTPUT and l2 != TIMELINESS and re.search(r"长效机制|可持续|持续发挥作用|使用年限", core):
        return ("衡量的是长期影响, 不是当年产出", "移到效益指标/可持续影响指标下")
    return None


@rule("V-CATEGORY-FIT", "warning", title="指标名称与所在分类不符",
      checks="三级指标名称与其二级、一级分类相符: 安全或成本类指标不放在生态效益下, 没有时间要求的比率 (应急处置率) "
             "不放在时效指标下, 辖区现有的村、社区、人口等存量数不作为产出或效果, 资金保障、工资发放不作为经济效益, "
             "增收产值不作为产出; 并指出它可能所属的分类。满意度、计数、比率、时效各有专门的规则, 不在此重复。",
      why="分类决定权重和自评时怎样算分 (产出 50、效益 30); 放错类的指标, 审核时要求调整, 否则考核的并不是"
          "该类应考核的内容。",
      fails=Example(project(*BASIC, ind("效益指标", "生态效益指标", "安全生产事故发生次数", "=0次"),
                            timely("突发事件应急处置率", "=100%"), econ("村干部报酬按时足额发放", "=100%"),
                            qty("辖区行政村数量", "=11个"))),
      passes=Example(project(*BASIC, social("安全生产事故发生次数", "=0次"), qual("突发事件应急处置率", "=100%"),
                             qty("走访覆盖行政村数", "=11个"), econ("带动农户增收", "≥5万元"))))
def category_fit(ctx):
    for it in ctx.items:
        if it.l1 is None or it.l2 is None or not it.core or it.l1 == SATISFACTION:
            continue
        found = _fit(it)
        if found:
            what, where = found
            value = f" {it.t.text.strip()}" if it.t is not None and it.t.text else ""
            yield ctx.at(it, "level2", f"“{it.name}{value}”放在“{it.ind.level1}/{it.ind.level2}”下, 但{what}", where)


"""Prose targets (jixiao/importers/prose.py): how a clause is cut into name and value,
and which block it belongs to. Inputs are written here in the manner of a 公示."""
import pytest

from jixiao.importers.formats.prose import _clause_indicator
from jixiao.importers.formats.text import import_text


def _rows(sheet):
    return [(i.level1, i.level2, i.name, i.target.text if i.target else None) for _, i in sheet.all_indicators()]


@pytest.mark.parametrize("clause,got", [
    # a symbol operator, in any of its spellings, is the value's, never the name's
    ("全乡医保政策知晓率=85%", ("全乡医保政策知晓率", "=85%")),
    ("村道硬化里程＝12公里", ("村道硬化里程", "＝12公里")),
    ("垃圾清运及时率﹦98%", ("垃圾清运及时率", "﹦98%")),
    ("每户补助金额<=3000元", ("每户补助金额", "<=3000元")),
    ("培训合格率>=90%", ("培训合格率", ">=90%")),
    ("道路完好率≧95%", ("道路完好率", "≧95%")),
    # an operator word before the number
    ("发放明白纸等于4600份", ("发放明白纸", "等于4600份")),
    ("安全事故发生率低于1%", ("安全事故发生率", "低于1%")),
    ("群众满意度不低于90%", ("群众满意度", "不低于90%")),
    ("维修路灯数量达到120盏", ("维修路灯数量", "达到120盏")),
    # a name that counts something itself: the value is the target after it
    ("覆盖8个村的监控点位数≥40个", ("覆盖8个村的监控点位数", "≥40个")),
    ("覆盖8个村的监控点位数40个", ("覆盖8个村的监控点位数", "40个")),
    ("5个社区网格员人数=60人", ("5个社区网格员人数", "=60人")),
    ("5个社区网格员人数60人", ("5个社区网格员人数", "60人")),
    # one number and its unit stays one value
    ("完成人工造林1000亩", ("完成人工造林", "1000亩")),
    ("资金拨付周期15个工作日", ("资金拨付周期", "15个工作日")),
    ("验收完成时间12月31日前", ("验收完成时间", "12月31日前")),
    ("水质达标率90%-95%", ("水质达标率", "90%-95%")),
    # no number: an operator (symbol or word) before the value's words
    ("村容村貌改善情况≥预期", ("村容村貌改善情况", "≥预期")),
    ("“一网通办”改革持续推进达到预期", ("“一网通办”改革持续推进", "达到预期")),
    # no indicator: a date opens the clause, or nothing is stated
    ("2025年6月底前完成验收", None),
    ("10月15日前完成全部栽植", None),
    ("加强宣传引导", None),
])
def test_a_clause_is_cut_into_name_and_value(clause, got):
    assert _clause_indicator(clause) == got


def test_prose_operator_spellings_are_parsed_as_targets():
    text = ("三、绩效目标\n(一)产出指标:数量指标:发放明白纸等于4600份，新建垃圾池＝12个；"
            "质量指标:全乡医保政策知晓率=85%，工程验收合格率>=98%。\n"
            "(二)满意度指标:服务对象满意度指标:村民满意度≧90%。\n")
    sheet = import_text(text)
    assert _rows(sheet) == [("产出指标", "数量指标", "发放明白纸", "等于4600份"),
                            ("产出指标", "数量指标", "新建垃圾池", "＝12个"),
                            ("产出指标", "质量指标", "全乡医保政策知晓率", "=85%"),
                            ("产出指标", "质量指标", "工程验收合格率", ">=98%"),
                            ("满意度指标", "服务对象满意度指标", "村民满意度", "≧90%")]
    assert [(i.target.op, i.target.value) for i in sheet.indicators] == [
        ("=", 4600), ("=", 12), ("=", 85), ("≥", 98), ("≥", 90)]


def test_a_clause_stays_in_the_block_its_sentence_names_whatever_its_name_says():
    # 满意 in the names of 社会效益 rows must not pull them into the next block
    text = ("三、绩效目标\n(一)产出指标:数量指标:新建便民服务点≥3个，培训网格员=80人次；时效指标:资金拨付及时率=100%。\n"
            "(二)效益指标:社会效益指标:群众办事便利度≥95%，社会治安满意率提升=100%，人民群众满意度≥95%。\n"
            "(三)满意度指标:服务对象满意度指标:村民满意度≥90%，企业满意度≥92%。\n")
    sheet = import_text(text)
    assert [(r[0], r[1]) for r in _rows(sheet)] == [
        ("产出指标", "数量指标"), ("产出指标", "数量指标"), ("产出指标", "时效指标"),
        ("效益指标", "社会效益指标"), ("效益指标", "社会效益指标"), ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"), ("满意度指标", "服务对象满意度指标")]


def test_several_blocks_in_one_sentence_with_names_holding_numbers():
    text = ("三、绩效目标\n(一)产出指标:数量指标:覆盖8个村的监控点位数40个，5个社区网格员人数60人；"
            "质量指标:设备运行完好率等于100%；时效指标:项目完工时间10月底前。\n"
            "(二)效益指标:经济效益指标:村集体经济收入增长率为有所增加。\n")
    sheet = import_text(text)
    assert _rows(sheet) == [("产出指标", "数量指标", "覆盖8个村的监控点位数", "40个"),
                            ("产出指标", "数量指标", "5个社区网格员人数", "60人"),
                            ("产出指标", "质量指标", "设备运行完好率", "等于100%"),
                            ("产出指标", "时效指标", "项目完工时间", "10月底前"),
                            ("效益指标", "经济效益指标", "村集体经济收入增长率", "有所增加")]


def test_a_bare_cost_block_under_output_keeps_its_rows_in_the_classic_regime():
    text = ("三、绩效目标\n(一)产出指标:数量指标:维修村道=8公里；成本指标:每公里维修成本≤15万元，"
            "群众满意度调查费用≤2万元。\n"
            "(二)满意度指标:服务对象满意度指标:村民满意度≥90%，商户满意度≥85%。\n")
    sheet = import_text(text)
    assert [(r[0], r[1], r[2]) for r in _rows(sheet)] == [
        ("产出指标", "数量指标", "维修村道"), ("产出指标", "成本指标", "每公里维修成本"),
        ("产出指标", "成本指标", "群众满意度调查费用"),
        ("满意度指标", "服务对象满意度指标", "村民满意度"), ("满意度指标", "服务对象满意度指标", "商户满意度")]

"""Tables whose rows extraction lost: one cell per line, or one space-separated line."""
from jixiao.importers.formats.text import import_text


def test_one_cell_per_line_with_split_operator_value_unit():
    text = "\n".join([
        "项目名称 |", "工资性支出 |", "绩效指标(90分) |",
        "一级指标 |", "二级指标 |", "三级指标 |", "指标性质 |", "指标值 |", "度量单位 |",
        "完成值 |", "权重 |", "得分 |", "未完成原因分析 |",
        "产出指标 |", "数量指标 |", "发放(缴纳)覆盖率 |", "= |", "100 |", "% |", "|", "60 |", "|", "|",
        "效益指标 |", "社会效益指标 |", "足额保障率(参保率) |", "= |", "100 |", "% |", "|", "30 |", "|", "|",
        "合计 |", "100 |",
    ])
    sheet = import_text(text)
    got = [(i.level1, i.level2, i.name, i.target.text) for i in sheet.indicators]
    assert got == [("产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%"),
                   ("效益指标", "社会效益指标", "足额保障率(参保率)", "=100%")]
    assert sheet.project == "工资性支出"


def test_whole_form_on_one_line_with_block_subtotals():
    text = ("项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 主管部门 某镇人民政府 绩效指标 "
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 "
            "产出指标(50分) 数量指标 委托业务项目数量 ≥50个 50 8 8 "
            "质量指标 经费支出合规性 严格执行相关制度规定 达成预期指标 8 8 "
            "效益指标(30分) 社会效益指标 对维护市场公平的影响程度 效果明显 达成预期指标 10 10")
    sheet = import_text(text)
    got = [(i.level2, i.name, i.target.text, i.weight, i.score) for i in sheet.indicators]
    assert got == [("数量指标", "委托业务项目数量", "≥50个", 8.0, 8.0),
                   ("质量指标", "经费支出合规性", "严格执行相关制度规定", 8.0, 8.0),
                   ("社会效益指标", "对维护市场公平的影响程度", "效果明显", 10.0, 10.0)]
    assert sheet.indicators[0].actual.value == 50 and sheet.year == 2022


def test_wrapped_label_cells_and_placeholders():
    text = "\n\n".join([
        "一级指标", "二级指标", "三级指标", "指标值",
        "产出指标", "数量指标", "旅游景点开发数量( ≥**个 )", ">=4个",
        "效益指标", "经济效益", "指标", "带动增加贫困村收入(≥**万元)", ">=6万元",
        "满意度指标", "服务对象满意度指标", "游客满意度(≥**%)", ">=90%",
    ])
    sheet = import_text(text)
    got = [(i.level2, i.name) for i in sheet.indicators]
    assert got == [("数量指标", "旅游景点开发数量"), ("经济效益指标", "带动增加贫困村收入"),
                   ("服务对象满意度指标", "游客满意度")]

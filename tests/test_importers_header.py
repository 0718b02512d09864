from jixiao.importers.recover.header import paragraphs, parse_funds, parse_header, split_goals


def test_paragraph_tags_become_lines():
    assert paragraphs("<p>主要职能:</p> <p>(一) 办公室。</p>") == "主要职能:\n(一) 办公室。"
    assert paragraphs("没有标签的一段。") == "没有标签的一段。"


def test_goals_split_on_their_numbers():
    assert split_goals("<p>目标1: 甲。</p> <p>目标2：乙。</p>") == ["甲。", "乙。"]
    assert split_goals("目标1: 甲。 目标2: 乙。") == ["甲。", "乙。"]


def test_fields_and_continuation_lines():
    h = parse_header([
        ["**2024年部门整体支出绩效目标批复表**"],
        ["(2024年度)"],
        ["部门(单位)名称", "某镇人民政府", "主管部门", "某县人民政府"],
        ["部门职能概述", "第一段"],
        ["第二段续行"],
        ["年度整体绩效目标", "目标1: 甲。"],
        ["核心职能", "年度绩效指标"],
    ])
    assert h.title == "2024年部门整体支出绩效目标批复表" and h.year == 2024
    assert h.unit == "某镇人民政府" and h.supervisor == "某县人民政府"
    assert h.overview() == "第一段 第二段续行"
    assert h.goals() == ["甲。"]


def test_implementing_unit_wins():
    h = parse_header([["主管部门", "某局"], ["实施单位", "某中心"], ["项目名称", "某项目"]])
    assert h.unit == "某中心" and h.project == "某项目"


def test_budget_execution_labels_are_the_interchange_keys():
    assert parse_funds("年初预算数 100 万元; 全年预算数 120 万元; 全年执行数 95 万元") == \
        {"budget_initial": 100.0, "budget": 120.0, "executed": 95.0}
    assert parse_funds("1-7月执行数 30 万元; 调整后预算数 80") == {"executed": 30.0, "budget": 80.0}
    assert parse_funds("项目资金 50 万元") == {"项目资金": 50.0}  # others as written

"""Space-aligned text as pdftotext -layout prints a PDF table.

tests/data/seed_layout.txt is real pdftotext output of the seed's expert reading
rendered to PDF (WeasyPrint, merged cells centred, three pages)."""
from pathlib import Path

from sheet_score import score

from jixiao.importers.formats import layout
from jixiao.importers.formats.text import import_text
from jixiao.model.codec import sheet_to_dict

DATA = Path(__file__).parent / "data"


def test_seed_rendered_and_extracted(seed_gold):
    text = (DATA / "seed_layout.txt").read_text(encoding="utf-8")
    result = score(seed_gold, sheet_to_dict(import_text(text)))
    assert result["f1"] >= 0.97
    assert result["descriptions_ok"] == 4  # descriptions re-joined across lines and pages


def test_wrapped_name_and_value_join_their_row():
    text = "\n".join([
        "一级指标      二级指标       三级指标                     指标值",
        "                                 人大代表为全镇经济社会发展持续",
        "产出指标      数量指标       指标1:                        10%",
        "                                 建言献策的积极性较往年提升。",
        "                             指标2:   文体活动参加人数       5000人/",
        "                                                           次",
        "                             指标3:   临聘人数               =5人",
    ])
    sheet = import_text(text)
    assert [(i.name, i.target.text) for i in sheet.indicators] == [
        ("人大代表为全镇经济社会发展持续建言献策的积极性较往年提升。", "10%"),
        ("文体活动参加人数", "5000人/次"),
        ("临聘人数", "=5人"),
    ]


def test_footer_and_repeated_header_are_dropped():
    text = "\n".join([
        "一级指标      二级指标       三级指标           指标值",
        "产出指标      数量指标       培训人次           ≥500人次",
        "",
        "                    第 1 页共 2 页",
        "\f一级指标      二级指标       三级指标           指标值",
        "满意度指标    服务对象满意度指标  参训人员满意度     ≥95%",
    ])
    sheet = import_text(text)
    assert [i.name for i in sheet.indicators] == ["培训人次", "参训人员满意度"]


def test_layout_detection():
    assert layout.is_layout(["一级指标    二级指标    三级指标    指标值"], 0)
    assert not layout.is_layout(["\t\t一级指标\t二级指标\t三级指标\t指标值"], 0)


# An excerpt of a department sheet that starts mid-table at 职能2, as pdftotext
# -layout prints it: the first page holds no column header, the second page repeats it.
MID_TABLE = "\n".join([
    "职能2：负责辖区退役  产出指标    数量指标            指标1:  开展主题党日活动场次      ≥29场次",
    "军人服务和拥军优属                                  指标2:  印发宣传资料份数          ≥14300份",
    "工作。                          质量指标            指标1:  整治达标率                不少于97%",
    "                                                    指标2:  项目(工程)验收合规率      ≥99%",
    "                    效益指标    社会效益指标        指标1:  受益脱贫人口人数          >17500人次",
    "                    满意度指标  服务对象满意度指标  指标1:  受助对象满意度            ≧90%",
    "职能3：承担辖区公共  产出指标    数量指标            指标1:  发放耕地地力保护补贴人数  >=2050人",
    "卫生和基本医疗服务                                  指标2:  年度全民健身活动参加人数  =5300人",
    "",
    "                                          - 1 -",
    "\f核心职能            年度绩效指标",
    "                    一级指标    二级指标            三级指标                          指标值",
    "                    产出指标    质量指标            指标1:  资金使用合规性            =100%",
    "工作。                          时效指标            指标1:  补贴发放及时率            ≥98%",
    "                    效益指标    社会效益指标        指标1:  群众就医便利度提升        =100%",
    "                    满意度指标  服务对象满意度指标  指标1:  辖区群众满意度            ≥95%",
])


def test_rows_before_a_header_on_a_later_page_are_read():
    sheet = import_text(MID_TABLE)
    assert [(f.label, f.description, len(f.indicators)) for f in sheet.functions] == [
        ("职能2", "负责辖区退役军人服务和拥军优属工作。", 6),
        ("职能3", "承担辖区公共卫生和基本医疗服务工作。", 6),
    ]
    assert [i.name for i in sheet.functions[0].indicators][:2] == ["开展主题党日活动场次", "印发宣传资料份数"]
    assert [i.level2 for i in sheet.functions[1].indicators] == [
        "数量指标", "数量指标", "质量指标", "时效指标", "社会效益指标", "服务对象满意度指标"]
    assert "STRUCT_FUNCTION_LABEL_LOST" not in [d.code for d in sheet.diagnostics]


def test_header_fields_above_a_later_header_stay_header_fields():
    # a title and unit above a table whose own rows start before the column header
    text = "\n".join(["2024年度某镇人民政府部门整体支出绩效目标申报表", "", "单位名称：某镇人民政府", "",
                      MID_TABLE])
    sheet = import_text(text)
    assert sheet.unit == "某镇人民政府"
    assert [f.label for f in sheet.functions] == ["职能2", "职能3"]
    assert sum(len(f.indicators) for f in sheet.functions) == 12


_ROWS = [
    "一级指标      二级指标       三级指标                     指标值",
    "产出指标      数量指标       指标1:   堤防巡查次数           ≥48次",
    "                             指标2:   险情处置及时率         =100%",
    "满意度指标    服务对象满意度 指标1:   沿岸居民满意度         ≥90%",
]


def test_text_left_of_the_names_after_the_last_page_is_not_the_tables():
    # the site's links under the page number (at the left margin, no row, label or value)
    for tail in (["", "                 — 1 —", "〔打印〕〔关闭〕", "附件下载:"], ["\f〔返回顶部〕"]):
        sheet = import_text("\n".join(_ROWS + tail))
        assert [i.name for i in sheet.indicators] == ["堤防巡查次数", "险情处置及时率", "沿岸居民满意度"]


def test_a_name_running_onto_the_next_page_is_kept():
    text = "\n".join(_ROWS[:3] + ["满意度指标    服务对象满意度 指标1:   沿岸居民对堤防工程   ≥90%",
                                   "                 — 1 —", "\f                                 管护的满意度"])
    sheet = import_text(text)
    assert sheet.indicators[-1].name == "沿岸居民对堤防工程管护的满意度"


def _aligned(rows: list[tuple[str, ...]], widths: list[int]) -> str:
    """Rows padded in character cells, as ``pdftotext -layout`` prints a table."""
    return "\n".join("".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows) + "\n"


_SELF_EVALUATION = [
    ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"),
    ("产出指标", "数量指标", "新建道路里程", "≥20公里", "22公里", "20", "20"),
    ("", "", "修复桥梁数量", "≥2座", "1座", "10", "5"),
    ("", "质量指标", "验收合格率", "≥98%", "100%", "20", "20"),
    ("效益指标", "社会效益指标", "群众出行时间缩短", "≥10%", "12%", "30", "30"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "20", "20")]


def test_columns_after_the_value_are_read_under_their_headings():
    """A 自评表 laid out: 完成值, 分值 and 得分 are columns of their own, not the
    value's continuation, and a weight is no 指标 number."""
    sheet = import_text("项目支出绩效自评表\n项目名称    乡村道路建设\n" + _aligned(_SELF_EVALUATION, [8, 12, 14, 10, 10, 6, 6]))
    got = [(i.name, i.target.text, i.actual.text, i.weight, i.score) for _, i in sheet.all_indicators()]
    assert got == [(r[2], r[3], r[4], float(r[5]), float(r[6])) for r in _SELF_EVALUATION[1:]]


def test_long_term_and_annual_value_columns_laid_out_side_by_side():
    rows = [(*r[:3], f"长{r[3]}" if i else "长期目标值", r[3] if i else "年度目标值", r[5] if i else "分值")
            for i, r in enumerate(_SELF_EVALUATION)]
    sheet = import_text("项目名称    乡村道路建设\n" + _aligned(rows, [8, 12, 14, 10, 10, 6]))
    got = [(i.name, i.target.text, i.weight, i.extra["by_column"]["长期目标值"]) for _, i in sheet.all_indicators()]
    assert got == [(r[2], r[4], float(r[5]), r[3]) for r in rows[1:]]

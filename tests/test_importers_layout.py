"""Space-aligned text as pdftotext -layout prints a PDF table.

tests/data/seed_layout.txt is real pdftotext output of the seed's expert reading
rendered to PDF (WeasyPrint, merged cells centred, three pages)."""
from pathlib import Path

from sheet_score import score

from jixiao.importers import layout
from jixiao.importers.text import import_text
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

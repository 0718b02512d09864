"""Charts as images in the 自评表 (issue 15, deliverable 5): the PDF and the docx of a
self-evaluation carry a bar chart of the weight, claimed and recomputed points per
一级 (matplotlib, Agg, a CJK font); other stages and the text formats carry none."""
from __future__ import annotations

import io

import pytest

from jixiao.model.codec import sheet_from_dict
from jixiao.render.charts import chart_font, chart_png
from jixiao.render.view import build_view, score_chart
from jixiao.services import render_document

SELF_EVALUATION = {
    "schema": "jixiao/sheet@1", "kind": "project", "stage": "self_evaluation", "title": "2024年项目支出绩效自评表",
    "year": 2024, "unit": "单位A1", "project": "农村道路养护", "goals": ["养护农村道路 120 公里"],
    "funds": {"budget": 100, "executed": 95}, "functions": [], "diagnostics": [], "extra": {}, "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "养护道路里程", "target": "≥120公里", "weight": 30,
         "actual": "110公里", "score": 30},
        {"level1": "产出指标", "level2": "质量指标", "name": "路面完好率", "target": "≥95%", "weight": 20,
         "actual": "96%", "score": 20},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "群众出行条件改善", "target": "明显改善", "weight": 30,
         "actual": "明显改善", "score": 30},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度", "target": "≥90%", "weight": 10,
         "actual": "85%", "score": 9}]}

needs_font = pytest.mark.skipif(chart_font() is None, reason="no font covering Chinese installed")


def test_the_chart_adds_up_the_points_per_level1():
    chart = score_chart(sheet_from_dict(SELF_EVALUATION))
    assert chart is not None and chart.categories == ("预算执行", "产出指标", "效益指标", "满意度指标")
    series = dict(chart.series)
    assert series["分值"] == (10, 50, 30, 10) and series["自评得分"] == (None, 50, 30, 9)
    assert series["复算得分"] == (9.5, 47.5, 30, 9.44)       # 110/120 × 30 = 27.5; 85/90 × 10 = 9.44
    assert "复算总分 96.44 分 (优)" in chart.title
    approval = sheet_from_dict({**SELF_EVALUATION, "stage": "approval"})
    assert build_view(approval).charts == ()


@needs_font
def test_the_png_is_drawn_without_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    png = chart_png(score_chart(sheet_from_dict(SELF_EVALUATION)))
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    import matplotlib

    assert matplotlib.get_backend().lower() == "agg"


@needs_font
def test_the_docx_has_an_inline_picture():
    import docx

    data = render_document(sheet=sheet_from_dict(SELF_EVALUATION), format="docx")
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    blob = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[blob].content_type == "image/png"
    plain = render_document(sheet=sheet_from_dict({**SELF_EVALUATION, "stage": "approval"}), format="docx")
    assert len(docx.Document(io.BytesIO(plain)).inline_shapes) == 0


@needs_font
def test_the_pdf_has_an_image_and_its_text_is_the_forms():
    pdfplumber = pytest.importorskip("pdfplumber")
    try:
        data = render_document(sheet=sheet_from_dict(SELF_EVALUATION), format="pdf")
    except Exception as e:                       # RendererUnavailable: no pango here
        pytest.skip(str(e))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        images = [im for page in pdf.pages for im in page.images]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert len(images) == 1 and images[0]["width"] > 300
    assert "群众满意度" in text and "各一级指标" not in text   # the chart's words are pixels, not text
    html = render_document(sheet=sheet_from_dict(SELF_EVALUATION), format="html").decode("utf-8")
    assert "<img" not in html

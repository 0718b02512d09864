"""Excel workbooks (.xlsx, and the legacy .xls container checks) read back into sheets."""
from __future__ import annotations

import base64
import io
import random
import zipfile
import zlib

import openpyxl
import pytest
from generator import make_sheet
from test_importers_grid import check, form_of, load_seed
from test_importers_grid import write_file as _write

from jixiao.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoIndicatorTable,
    UnsupportedDocument,
)
from jixiao.files import import_sheet
from jixiao.importers import budget, detect
from jixiao.importers.formats import xls
from jixiao.model.codec import sheet_to_dict


@pytest.fixture(scope="module")
def seed_sheet(seed_gold_path):
    return load_seed(seed_gold_path)


def put_form(ws, form, hidden: dict[int, list[str]] | None = None) -> None:
    """Write ``form`` into ``ws`` as a clerk does: merged title, label | value
    header lines, merged labels, targets typed as text. ``hidden``: rows to
    insert (hidden) before body row k."""
    width = len(form.columns)

    def text(r, c, v):
        cell = ws.cell(r, c, v)
        cell.data_type = "s"  # "=100%" is text, not a formula

    text(1, 1, form.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    r = 2
    for line in form.header:
        for c, v in enumerate(line, 1):
            text(r, c, v)
        if len(line) < width:
            ws.merge_cells(start_row=r, start_column=len(line), end_row=r, end_column=width)
        r += 1
    if form.grouped:
        text(r, 1, "核心职能")
        text(r, 2, "年度绩效指标")
        ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
        r += 1
        for c, v in enumerate(form.columns[1:], 2):
            text(r, c, v)
    else:
        for c, v in enumerate(form.columns, 1):
            text(r, c, v)
    top = r + 1
    row_of = []
    r = top
    for k, values in enumerate(form.rows):
        for extra in (hidden or {}).get(k, []):
            for c, v in enumerate(extra, 1):
                text(r, c, v)
            ws.row_dimensions[r].hidden = True
            r += 1
        row_of.append(r)
        for c, v in enumerate(values, 1):
            if v != "":
                text(r, c, v)
        r += 1
    for ci, spans in form.runs.items():
        for a, b in spans:
            if b - a > 1:
                ws.merge_cells(start_row=row_of[a], start_column=ci + 1, end_row=row_of[b - 1],
                               end_column=ci + 1)


def xlsx_bytes(*forms, hidden=None, first_sheet_junk: bool = False) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet_junk:
        ws.title = "资金情况"
        ws.append(["项目", "年初预算数", "全年执行数"])
        ws.append(["基本支出", 120.5, 118])
        ws = wb.create_sheet("绩效目标")
    for k, form in enumerate(forms):
        if k:
            ws = wb.create_sheet(f"表{k + 1}")
        put_form(ws, form, hidden)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_seed_as_clerk_workbook(tmp_path, seed_sheet, seed_gold):
    p = _write(tmp_path, xlsx_bytes(form_of(seed_sheet)), "绩效目标.dat")  # extension means nothing
    sheet = import_sheet(p)
    result = check(seed_gold, sheet)
    assert result["descriptions_ok"] == 4 and result["meta"] == {"year": True, "unit": True, "goals": True}
    assert (sheet.title, sheet.overview, sheet.supervisor, sheet.unit) == (
        seed_gold["title"], seed_gold["overview"], seed_gold["supervisor"], seed_gold["unit"])
    assert [f.label for f in sheet.functions] == ["职能1", "职能2", "职能3", "职能4"]
    assert detect(p.read_bytes()) == "xlsx"


def _project(seed: int):
    rng = random.Random(seed)
    sheet = make_sheet(rng, kind="project", regime="classic")
    for k, (_, ind) in enumerate(sheet.all_indicators()):
        ind.weight = float(5 + k % 3 * 5)
    return sheet


def test_project_split_columns_with_weight(tmp_path):
    sheet = _project(7)
    p = _write(tmp_path, xlsx_bytes(form_of(sheet, split=True, weight=True)))
    got = import_sheet(p)
    check(sheet_to_dict(sheet), got)
    assert got.kind == "project" and got.project == sheet.project
    assert [i.weight for i in got.indicators] == [i.weight for i in sheet.indicators]


def test_columns_in_another_order(tmp_path):
    sheet = _project(8)
    order = ["权重(%)", "三级指标", "一级指标", "二级指标", "指标性质", "指标值", "度量单位"]
    p = _write(tmp_path, xlsx_bytes(form_of(sheet, split=True, weight=True, order=order)))
    got = import_sheet(p)
    check(sheet_to_dict(sheet), got)
    assert [i.weight for i in got.indicators] == [i.weight for i in sheet.indicators]


def test_second_sheet_holds_the_indicators(tmp_path, seed_sheet, seed_gold):
    p = _write(tmp_path, xlsx_bytes(form_of(seed_sheet), first_sheet_junk=True))
    check(seed_gold, import_sheet(p))


def test_hidden_rows_skipped(tmp_path, seed_sheet, seed_gold):
    hidden = {3: [["", "", "", "旧指标(已删除)", "=1个"]], 20: [["", "", "", "草稿行", "≥2次"]]}
    p = _write(tmp_path, xlsx_bytes(form_of(seed_sheet), hidden=hidden))
    sheet = import_sheet(p)
    check(seed_gold, sheet)
    names = [i.name for _, i in sheet.all_indicators()]
    assert "草稿行" not in names and "旧指标(已删除)" not in names


def test_numbers_and_percent_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"])
    ws.append(["产出指标", "数量指标", "培训人次", "≥", 300, "人次", 10])
    ws.append(["", "质量指标", "合格率", "=", 1, "", 10])
    ws["E3"].number_format = "0%"
    ws.append(["满意度指标", "服务对象满意度指标", "满意度", "≥", 0.9, "", 5.5])
    ws["E4"].number_format = "0.00%"
    buf = io.BytesIO()
    wb.save(buf)
    sheet = import_sheet(_write(tmp_path, buf.getvalue()))
    assert [i.target.text for i in sheet.indicators] == ["≥300人次", "=100%", "≥90%"]
    assert [i.weight for i in sheet.indicators] == [10, 10, 5.5]
    assert [i.level2 for i in sheet.indicators] == ["数量指标", "质量指标", "服务对象满意度指标"]


@pytest.mark.parametrize("seed", range(0, 50, 2))
def test_generated_sheets_round_trip(tmp_path, seed):
    rng = random.Random(1000 + seed)
    for kind, regime in (("department", "classic"), ("project", "2021")) if seed % 4 == 0 else (
            ("department", "2021"), ("project", "classic")):
        sheet = make_sheet(rng, kind=kind, regime=regime)
        p = _write(tmp_path, xlsx_bytes(form_of(sheet, split=kind == "project")))
        check(sheet_to_dict(sheet), import_sheet(p))


# ------------------------------------------------------------------ bad input
def test_corrupt_and_truncated(tmp_path, seed_sheet):
    data = xlsx_bytes(form_of(seed_sheet))
    for bad in (data[: len(data) // 2], b"PK\x03\x04" + b"\x00" * 200):
        with pytest.raises(CorruptDocument) as e:
            import_sheet(_write(tmp_path, bad, "坏.xlsx"))
        assert "坏.xlsx" in e.value.message and "损坏" in e.value.message


def test_damaged_member(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<not-closed")
    with pytest.raises(CorruptDocument) as e:
        import_sheet(_write(tmp_path, buf.getvalue(), "坏.xlsx"))
    assert "Excel" in e.value.message


def test_encrypted_office_file(tmp_path):
    # An encrypted xlsx/docx is an OLE2 container with EncryptionInfo/EncryptedPackage streams.
    data = xls.OLE2_MAGIC + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600
    p = _write(tmp_path, data, "加密.xlsx")
    assert detect(data) == "xls"
    with pytest.raises(EncryptedDocument) as e:
        import_sheet(p)
    assert "加密.xlsx" in e.value.message and "密码" in e.value.message


def test_word97_and_broken_xls(tmp_path):
    doc = xls.OLE2_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 600
    with pytest.raises(UnsupportedDocument) as e:
        import_sheet(_write(tmp_path, doc, "旧.doc"))
    assert ".docx" in e.value.message
    with pytest.raises(CorruptDocument) as e:
        import_sheet(_write(tmp_path, xls.OLE2_MAGIC + b"\x01" * 700, "旧.xls"))
    assert "旧.xls" in e.value.message and ".xls" in e.value.message


def test_zip_bomb_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (budget.DEFAULT.decompressed + 1))
    assert len(buf.getvalue()) < 2 * 2**20
    with pytest.raises(DocumentTooLarge) as e:
        import_sheet(_write(tmp_path, buf.getvalue(), "炸弹.xlsx"))
    assert "炸弹.xlsx" in e.value.message and "200 MB" in e.value.message


def test_too_many_cells(tmp_path, monkeypatch, seed_sheet):
    monkeypatch.setenv(budget.ENV, "cells=100")
    with pytest.raises(DocumentTooLarge) as e:
        import_sheet(_write(tmp_path, xlsx_bytes(form_of(seed_sheet)), "大.xlsx"))
    assert "大.xlsx" in e.value.message and "单元格" in e.value.message and "上限 100 格" in e.value.message


def test_zip_that_is_no_office_file(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedDocument) as e:
        import_sheet(_write(tmp_path, buf.getvalue(), "包.zip"))
    assert "包.zip" in e.value.message and "ZIP" in e.value.message


def test_workbook_without_indicator_table(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["项目", "金额"])
    wb.active.append(["办公费", 12])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(NoIndicatorTable) as e:
        import_sheet(_write(tmp_path, buf.getvalue(), "预算.xlsx"))
    assert "预算.xlsx" in e.value.message


# ------------------------------------------------------------------ legacy .xls (BIFF8)
_XLS = (  # made with xlwt 1.3.0 (see the docstring of test_legacy_xls_workbook); zlib + base64
    "eNrtWG9oHFUQn7d3u3v/klzSpDWpxjTaJI0BmyrSatuLf9sP5tJLWhQbzt61SyIJSYghkBTSahssmtAcpVCLVgIhxS9Vv/gH"
    "tdVvIpG0+kEUhKRSqAhVoQYNbc6Z2bcvm3aFBmwhkrfsvJl5M/N77837s3fnJ/OnRj8omYYbylbwwVw2CIZLJ/ANOkIUsD2b"
    "JdapA/hml8uSKsEAJtLQ4dOcCZNySPmeBg3e93+JFOAivs3QBfHODqvsDpYnuA8pQX3YIvy49jR4C99cKOZ+FTDdy3QF0/fY"
    "9jOmdawZZroFbafECzAZi1dvlOv4ea2c23KRCviIfX5kTS0UwVe0jg+MCNtWh8e7X0q1L7GGUn8ExgBTus3qsLpT7VNQiLkd"
    "gz+zZQBXnU38Rdmy/s7qBaD+r4V681/0ATxtb9Qf0/wAByG7R9DKHYQIzOjUoomnhi9kBvFYfp33sV/8MrDdutJrtl6DiFaD"
    "mnVkBaLvxJVerC5k3j7hA3GqsT2xaTgXxAZYDxvgYehJksGD1mzC8W894re9cnb+3meASMUTLU0jvw3vT4ylseWx+Oj+yyOX"
    "jwdApDtHOs41jcVLRs4fPXa0rhlbT+3+3NrVVN+gWtsTtucP/RiqJzmedGCiIKiqhUdxxEO7o+lzTak44VyyNibJQ1tPp0D8"
    "9IC512xFdmieDc6zVFXuqRr22ezmHagbT05mqBM6iCdbvslUwVqcDNSfjs8mpFuXNZmRLGFNZML9AoRVjjPVnpjIoLq54Z0k"
    "WQg6j0BUx6XpmrYuC+U1bShXDdtREGjo5CNWYOfm1tdeRv2Mtd1yeo0jm7GuHg+5p7wW60DL8WR9I1pst77uJWOcn619JQ0u"
    "cezAqobZxLNHUi0zhB5sqUtvsg7vQrTpjrzUOHcPV0xOy2jj37tTQ/NK3fa1FSG6xfnUjy449XP4LIwg3Qd5zOfziRjFdXjt"
    "3T++rU/viL3ImoN809vfA2tpPUIWXiEPdM7lFk3RaqYPMH2Vo65mvoRpIR5XWFfsKJLMM4fY5jC3ViDOQ1y+i1W6+CrkB39N"
    "fFw6+HNsHfJntk33F575PjYK5bhj9qE/PYegRtSIk29S+STm1ELeHD8xLb7pFgloUdn3rPzoyYPrEGI2n6kt0ewIaS887AXb"
    "U8QBLcT9yYc3VuB3lVYAH/L01Lm+rO5ETiJMzSWcE9MzJz6kZzGCnZP5x1C5MT1z45e5tHOjK0ljX0fyoWQyQgQl/4LYmkds"
    "jWMHpL+dsSD7k712U/98HjF8HCMkY/g4RljG8HnE8HvE8HOMiIzh5xg5SqIYuUqiMeYpicYYVZLOOI5kIF8gM6J7oOqMukLa"
    "64xaqCRCLVISoa6U+0Nn1IvCaSPUVaqNUBslquFCLUPUszjXhtybNm/vTIpjMOJdEtFgxGIZ1WBEQ7URYolqM+Q+I0TzhnES"
    "iulCNF2IJiOullHNBWM0GbFAtRHi3aqNEKslYsADMSARyTfAiPcoiTBLleQeZQAxC3iUQsO1wpi23j2nQQ+8oAsvyHj3Konw"
    "ymTMIOPZehrfGqV3sIILxhbyWDUhxiqX8UOMdp+SCO1+GTWk0EKMtlbpHbTQgpGFPdDCjFYh44cZrVJJhFalJHf+wjyXbcJG"
    "DCvEsEK8hNc4rSSTzxRd/lb28Q42ePcLXp90qji/qw37RgCvG2G5LJfbXYT8TqM7h+4MXX55mPJ/nev4zi3/TfK/LY3QiU8P"
    "nudPQwfW3dC3qPWzEnThxBK36OP8X0jlOUTvhjZIcz/aFr1+8ctRuMdzy47R/24LLRZ/bjH9vM34/wB6zOTG"
)


def test_legacy_xls_workbook(tmp_path):
    """A real BIFF8 workbook, written once with xlwt 1.3.0 (xlrd cannot write; no
    LibreOffice here): sheet 1 without indicators, sheet 2 a project form with a
    merged title and header values, 产出指标 merged over 5 rows and 数量指标 over 3,
    指标性质 | 指标值 | 度量单位 | 权重(%), a hidden row (作废指标), 100% and 90% as
    percent-formatted numbers."""
    data = zlib.decompress(base64.b64decode("".join(_XLS)))
    assert detect(data) == "xls"
    sheet = import_sheet(_write(tmp_path, data, "旧表.et"))
    assert (sheet.kind, sheet.project, sheet.unit, sheet.year) == ("project", "乡村道路养护", "潢源县公路养护站", 2024)
    assert sheet.goals == ["完成县乡道路日常养护。"]
    got = [(i.level1, i.level2, i.name, i.target.text, i.weight) for i in sheet.indicators]
    assert got == [
        ("产出指标", "数量指标", "养护里程", "≥120公里", 20),
        ("产出指标", "数量指标", "养护次数", "≥4次", 10),
        ("产出指标", "质量指标", "验收合格率", "=100%", 20),
        ("产出指标", "时效指标", "完成时间", "2024年12月底前", 10),
        ("效益指标", "社会效益指标", "群众出行条件", "有所改善", 20),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", 20)]
    with pytest.raises(CorruptDocument) as e:
        import_sheet(_write(tmp_path, data[:2000], "断.xls"))
    assert "断.xls" in e.value.message


def test_zip_needing_a_newer_unzip(tmp_path, seed_sheet):
    data = bytearray(xlsx_bytes(form_of(seed_sheet)))
    at = data.index(b"PK\x01\x02")
    data[at + 6: at + 8] = (219).to_bytes(2, "little")  # "version needed to extract" 21.9
    with pytest.raises(CorruptDocument) as e:
        import_sheet(_write(tmp_path, bytes(data), "新.xlsx"))
    assert "新.xlsx" in e.value.message


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_damaged_bytes_never_escape_as_tracebacks(fmt, seed_sheet):
    """Flipped, cut and deleted bytes: a sheet or an ImportFailed, nothing else."""
    from jixiao.errors import ImportFailed
    from jixiao.importers import import_bytes

    clean = xlsx_bytes(form_of(seed_sheet)) if fmt == "xlsx" else zlib.decompress(base64.b64decode("".join(_XLS)))
    rng = random.Random(fmt)
    for _ in range(40):
        data = bytearray(clean)
        cut = rng.random()
        if cut < 0.4:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif cut < 0.7:
            data = data[: rng.randrange(len(data))]
        else:
            a = rng.randrange(len(data))
            del data[a: a + rng.randint(1, 500)]
        try:
            import_bytes(bytes(data), path=f"f.{fmt}")
        except ImportFailed:
            pass

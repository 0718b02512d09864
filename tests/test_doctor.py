"""``jixiao doctor`` and the PDF renderer's refusal to print without a Chinese font.

The no-font machine is real: fontconfig is pointed (``FONTCONFIG_FILE``) at a
configuration whose only font folder is empty, which is what a fresh machine
without fonts-noto-cjk looks like to pango."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from jixiao.cli import run
from jixiao.doctor import run_checks
from jixiao.render.fonts import cjk_font_families


@pytest.fixture
def no_fonts(tmp_path, monkeypatch) -> dict[str, str]:
    """Environment of a machine where fontconfig knows no font at all."""
    (tmp_path / "fonts").mkdir()
    (tmp_path / "cache").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{tmp_path / 'fonts'}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>
""", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def test_cjk_fonts_are_found_on_this_machine_and_none_without_a_font_folder(no_fonts, monkeypatch):
    assert cjk_font_families() == []
    monkeypatch.delenv("FONTCONFIG_FILE")
    families = cjk_font_families()
    assert families and any("CJK" in f or "Hei" in f or "Song" in f for f in families)


def test_doctor_reports_every_item_in_chinese_and_exits_0_when_the_required_ones_are_there(capsys):
    code = run(["doctor"])
    out = capsys.readouterr().out
    assert code == 0, out
    for item in ("中文字体", "pango", "pdftotext", "soffice", "PostgreSQL", "数据库"):
        assert item in out
    assert "必需项齐全" in out


def test_doctor_without_a_chinese_font_names_the_package_and_exits_1(no_fonts, capsys):
    code = run(["doctor"])
    out = capsys.readouterr().out
    assert code == 1
    line = next(ln for ln in out.splitlines() if "中文字体" in ln)
    assert line.startswith("✗") and "fonts-noto-cjk" in line
    assert "缺少必需项 1 个" in out


def test_doctor_reports_an_unreachable_database_without_its_password(monkeypatch, capsys):
    monkeypatch.setenv("JIXIAO_DATABASE_URL", "postgresql+psycopg://app:s3cret@127.0.0.1:1/none")
    checks = {c.name: c for c in run_checks()}
    db = checks["数据库"]
    assert not db.ok and "无法连接" in db.detail and "s3cret" not in db.detail and "app:***@" in db.detail
    run(["doctor"])
    assert "s3cret" not in capsys.readouterr().out


def test_doctor_connects_to_an_existing_sqlite_database(tmp_path, monkeypatch):
    import sqlite3

    sqlite3.connect(tmp_path / "j.db").close()
    monkeypatch.setenv("JIXIAO_DATABASE_URL", f"sqlite:///{tmp_path / 'j.db'}")
    db = {c.name: c for c in run_checks()}["数据库"]
    assert db.ok and "可以连接" in db.detail


def test_render_pdf_without_a_chinese_font_refuses_and_writes_nothing(tmp_path, seed_path, no_fonts):
    out = tmp_path / "out" / "表.pdf"
    # A real process: pango and fontconfig start with the font-less configuration.
    result = subprocess.run([sys.executable, "-m", "jixiao", "render", str(seed_path), "-o", str(out)],
                            capture_output=True, text=True, encoding="utf-8", env=no_fonts,
                            timeout=120, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "无法生成 PDF" in lines[0] and "fonts-noto-cjk" in lines[0] and "--to html" in lines[0]
    assert not out.parent.exists()   # not even the folder was made


@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx"])
def test_formats_without_a_font_dependency_still_render_without_fonts(tmp_path, seed_path, no_fonts, fmt):
    out = tmp_path / f"表.{fmt}"
    assert run(["render", str(seed_path), "-o", str(out)]) == 0
    assert out.stat().st_size > 0

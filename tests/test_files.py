"""jixiao.files: reading documents and writing outputs atomically, and the importer registry behind import_sheet."""
from __future__ import annotations

import json
import os
import stat

import pytest

from jixiao import files, importers, services
from jixiao.errors import CorruptDocument, EmptyDocument, FileMissing, InvalidSheetJson, JixiaoError, NoIndicatorTable
from jixiao.model.codec import dumps, loads
from jixiao.model.sheet import Sheet

OLD = "旧内容 — must survive\n"


def leftovers(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))

# ------------------------------------------------------------------ atomic output


def test_write_output_writes_utf8_and_leaves_no_temp_files(tmp_path):
    out = tmp_path / "seed.json"
    result = files.write_output("{\"标题\": 1}\n", out)
    assert result == out
    assert out.read_text(encoding="utf-8") == "{\"标题\": 1}\n"
    assert leftovers(tmp_path) == []


def test_write_output_replaces_and_keeps_permissions(tmp_path):
    out = tmp_path / "seed.json"
    out.write_text(OLD, encoding="utf-8")
    out.chmod(0o640)
    files.write_output("新\n", out)
    assert out.read_text(encoding="utf-8") == "新\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_new_file_gets_umask_permissions_not_0600(tmp_path):
    out = tmp_path / "new.json"
    files.write_output("x", out)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_write_output_creates_parent_folders(tmp_path):
    out = tmp_path / "out" / "deeper" / "seed.json"
    files.write_output("x", out)
    assert out.read_text() == "x"


def test_failure_mid_write_keeps_the_old_file(tmp_path):
    out = tmp_path / "seed.json"
    out.write_text(OLD, encoding="utf-8")

    def serializer(f):
        f.write('{"functions": [')
        f.flush()
        raise RuntimeError("serializer broke half-way")

    with pytest.raises(RuntimeError):
        with files.atomic_writer(out) as f:
            serializer(f)
    assert out.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


def test_failure_in_fsync_or_rename_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "seed.json"
    out.write_text(OLD, encoding="utf-8")

    def no_space(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(JixiaoError) as info:
        files.write_output("新内容" * 1000, out)
    assert "磁盘空间不足" in str(info.value) and str(out) in str(info.value)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == OLD
    assert leftovers(tmp_path) == []


def test_write_to_a_directory_is_a_user_error(tmp_path):
    with pytest.raises(JixiaoError) as info:
        files.write_output("x", tmp_path)
    assert "文件夹" in str(info.value)


def test_write_below_a_file_is_a_user_error(tmp_path):
    blocker = tmp_path / "plain"
    blocker.write_text("x")
    with pytest.raises(JixiaoError):
        files.write_output("x", blocker / "seed.json")

# ------------------------------------------------------------------ import and JSON


def test_sheet_json_round_trips_and_ends_with_newline():
    sheet = Sheet(title="2024年部门整体支出绩效目标批复表", year=2024)
    text = services.sheet_json(sheet)
    assert text.endswith("\n")
    assert loads(text) == sheet


def test_import_a_sheet_json_file(tmp_path, seed_gold):
    path = tmp_path / "gold.txt"  # the name does not matter, the content does
    expected = loads(json.dumps(seed_gold))
    path.write_text(dumps(expected), encoding="utf-8")
    assert files.import_sheet(path) == expected


def test_import_a_gbk_sheet_json_file(tmp_path):
    sheet = Sheet(title="预算绩效目标表", unit="大华镇人民政府")
    path = tmp_path / "s.json"
    path.write_bytes(dumps(sheet).encode("gbk"))
    assert files.import_sheet(path) == sheet


@pytest.mark.parametrize("text", ['{"schema": "other"}', '{"indicators": [{"target": 1}]}',
                                  '{"functions": 3}', '{"extra": [1]}',
                                  '{"a": ' * 100_000 + "1" + "}" * 100_000],
                         ids=["schema", "no-name", "functions-int", "extra-list", "deep"])
def test_broken_sheet_json_is_invalid_sheet_json(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidSheetJson) as info:
        files.import_sheet(path)
    assert str(path) in str(info.value)


def test_import_errors_come_from_the_tree(tmp_path):
    with pytest.raises(FileMissing):
        files.import_sheet(tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(EmptyDocument):
        files.import_sheet(tmp_path / "empty.txt")
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    with pytest.raises(CorruptDocument, match="ZIP"):
        files.import_sheet(tmp_path / "x.xlsx")


def test_import_text_without_a_table(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("会议通知\n请各单位于12月31日前报送材料。\n", encoding="utf-8")
    with pytest.raises(NoIndicatorTable) as info:
        files.import_sheet(path)
    assert str(path) in str(info.value)


def test_import_the_seed(seed_path):
    sheet = files.import_sheet(seed_path)
    assert isinstance(sheet, Sheet)
    assert sheet.year == 2024
    assert sum(len(f.indicators) for f in sheet.functions) + len(sheet.indicators) > 0

# ------------------------------------------------------------------ the registry


def test_detect_by_content_not_by_name():
    assert importers.detect(b'{"schema": "jixiao/sheet@1"}') == "json"
    assert importers.detect(b'\xef\xbb\xbf\n  {\n "title": 1}') == "json"
    assert importers.detect("{}".encode("utf-16")) == "json"
    assert importers.detect("一级指标\t二级指标".encode()) == "text"
    assert importers.detect(b"{ this is text }") == "text"
    assert [f.name for f in importers.formats()][-1] == "text"


def test_a_format_module_registers_itself(tmp_path):
    seen = {}

    @importers.register("fake", sniff=lambda head: head.startswith(b"FAKE1"), priority=5)
    def load(data, path):
        seen["path"] = path
        return Sheet(title=data[5:].decode())

    try:
        path = tmp_path / "form.txt"
        path.write_bytes(b"FAKE1" + "表".encode())
        assert files.import_sheet(path).title == "表"
        assert seen["path"] == str(path)
        assert importers.detect(b"FAKE1") == "fake"
    finally:
        importers.unregister("fake")
    assert importers.detect(b"FAKE1") == "text"


def test_format_can_be_forced(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"title": "t"}', encoding="utf-8")
    with pytest.raises(NoIndicatorTable):
        files.import_sheet(path, format="text")
    with pytest.raises(ValueError):
        files.import_sheet(path, format="nope")

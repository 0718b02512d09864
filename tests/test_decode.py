"""Bytes -> text (jixiao.importers.decode): encodings, newlines and each refusal."""
from __future__ import annotations

import codecs
import os
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.errors import BinaryDocument, EmptyDocument, FileMissing, ImportFailed, UndecodableDocument
from jixiao.importers.decode import decode_bytes, read_text, text_head

SAMPLE = "2024年部门整体支出绩效目标批复表\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t享受人大补助\t=60元\n"
CJK = re.compile(r"[\u4e00-\u9fff]")


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encode", [
    pytest.param(lambda s: s.encode("utf-8"), id="utf-8"),
    pytest.param(lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), id="utf-8-sig"),
    pytest.param(lambda s: s.encode("gb18030"), id="gb18030"),
    pytest.param(lambda s: s.encode("gbk"), id="gbk"),
    pytest.param(lambda s: s.encode("utf-16"), id="utf-16"),
    pytest.param(lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"), id="utf-16-le-bom"),
    pytest.param(lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"), id="utf-16-be-bom"),
    pytest.param(lambda s: codecs.BOM_UTF32_LE + s.encode("utf-32-le"), id="utf-32-le-bom"),
])
def test_supported_encodings_decode_to_the_same_text(tmp_path, encode):
    path = write(tmp_path, "sheet.txt", encode(SAMPLE))
    assert read_text(path) == SAMPLE


def test_seed_in_gbk_reads_like_the_seed(tmp_path, seed_text):
    path = write(tmp_path, "seed-gbk.txt", seed_text.encode("gbk"))
    assert read_text(path) == seed_text.replace("\r\n", "\n")


def test_gb18030_only_characters(tmp_path):
    text = "㐀 𠀀 €  指标"  # outside GBK: needs GB18030 four-byte sequences
    assert read_text(write(tmp_path, "x.txt", text.encode("gb18030"))) == text


@pytest.mark.parametrize("raw, expected", [
    (b"a\r\nb\r\n", "a\nb\n"),
    (b"a\rb\r", "a\nb\n"),
    (b"a\r\n\r\nb", "a\n\nb"),
    ("a\u2028b\u2029c".encode(), "a\nb\nc"),
    (b"a\tb\x0cc\n", "a\tb\x0cc\n"),
])
def test_newlines_are_normalised(raw, expected):
    assert decode_bytes(raw, "x.txt") == expected


def test_bom_is_dropped_even_when_doubled():
    assert decode_bytes(codecs.BOM_UTF8 + "\ufeff指标".encode(), "x") == "指标"


def assert_names_file(error: ImportFailed, path) -> None:
    message = str(error)
    assert str(path) in message
    assert CJK.search(message), message
    assert error.message == message
    assert error.path == str(path)


def test_missing_file(tmp_path):
    path = tmp_path / "没有这个文件.txt"
    with pytest.raises(FileMissing) as info:
        read_text(path)
    assert_names_file(info.value, path)
    assert "不存在" in str(info.value)


def test_directory(tmp_path):
    with pytest.raises(FileMissing) as info:
        read_text(tmp_path)
    assert_names_file(info.value, tmp_path)
    assert "文件夹" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "secret.txt", SAMPLE.encode())
    path.chmod(0)
    with pytest.raises(FileMissing) as info:
        read_text(path)
    assert_names_file(info.value, path)
    assert "权限" in str(info.value)


def test_empty_file(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(EmptyDocument) as info:
        read_text(path)
    assert_names_file(info.value, path)
    assert "空" in str(info.value)


@pytest.mark.parametrize("raw", [
    b" \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n ", "\u3000\u3000\n".encode(),
    "\u3000".encode("gbk"), codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
    "\u200b\ufeff".encode(),
], ids=["spaces", "bom", "bom-newline", "ideographic-space", "gbk-space", "utf16-space", "zwsp"])
def test_whitespace_only_is_empty(tmp_path, raw):
    path = write(tmp_path, "blank.txt", raw)
    with pytest.raises(EmptyDocument) as info:
        read_text(path)
    assert_names_file(info.value, path)


def test_nul_bytes_are_binary(tmp_path):
    path = write(tmp_path, "nul.txt", SAMPLE.encode() + b"\x00" + SAMPLE.encode())
    with pytest.raises(BinaryDocument) as info:
        read_text(path)
    assert_names_file(info.value, path)
    assert "二进制" in str(info.value)


def test_random_binary(tmp_path):
    data = random.Random(20241126).randbytes(4096)
    path = write(tmp_path, "blob.bin", data)
    with pytest.raises(BinaryDocument) as info:
        read_text(path)
    assert_names_file(info.value, path)


def test_binary_names_what_it_looks_like(tmp_path):
    path = write(tmp_path, "form.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x01")
    with pytest.raises(BinaryDocument) as info:
        read_text(path)
    assert "PDF" in str(info.value)


def test_many_control_characters_are_binary():
    text = "指标" * 10 + "\x01\x02\x03\x04\x05"  # 5 of 25 characters
    with pytest.raises(BinaryDocument):
        decode_bytes(text.encode(), "ctl.txt")


def test_a_few_control_characters_are_tolerated():
    text = "指标值" * 20 + "\x1a"  # a DOS end-of-file mark: 1 of 61
    assert decode_bytes(text.encode(), "eof.txt") == text


def test_undecodable(tmp_path):
    path = write(tmp_path, "latin.txt", "Café Überweisung naïve".encode("latin-1") + b"\xff\xfe!")
    with pytest.raises(UndecodableDocument) as info:
        read_text(path)
    assert_names_file(info.value, path)
    assert "编码" in str(info.value)


def test_broken_utf16_after_bom_is_undecodable():
    with pytest.raises(UndecodableDocument):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8", "half.txt")  # lone surrogate


def test_message_without_a_path():
    with pytest.raises(EmptyDocument) as info:
        decode_bytes(b"", None)
    assert str(info.value).startswith("输入")


def test_text_head_never_raises_and_drops_bom():
    assert text_head(codecs.BOM_UTF16_LE + ' {"a"'.encode("utf-16-le")) == '{"a"'
    assert text_head(b"\xff\xfe\xfd") == ""
    assert text_head(codecs.BOM_UTF8 + b"\n{") == "{"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_returns_text_or_an_import_error(data):
    try:
        text = decode_bytes(data, "fuzz.bin")
    except ImportFailed as e:
        assert e.path == "fuzz.bin" and CJK.search(e.message)
    else:
        assert "\r" not in text and "\x00" not in text and text.strip()


def _visible(text: str) -> bool:
    return bool(text.translate({ord(c): None for c in "\ufeff\u200b\u200c\u200d\u2060"}).strip())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="gb18030", exclude_categories=("Cc", "Cs")),
               min_size=1, max_size=300).filter(_visible))
def test_any_printable_gb18030_text_round_trips(text):
    data = text.encode("gb18030")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # also valid UTF-8: UTF-8 wins by design, nothing to check here
        return
    expected = re.sub("\r\n?|[\u2028\u2029]", "\n", text).lstrip("\ufeff")
    assert decode_bytes(data, "x") == expected

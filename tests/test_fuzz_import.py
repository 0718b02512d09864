"""Whatever a user feeds ``import_sheet``, the result is a Sheet or a JixiaoError.

Anything else (IndexError, KeyError, RecursionError, UnicodeError …) would reach
the CLI as "内部错误", i.e. a bug; these properties look for such inputs.
"""
from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import files, services
from jixiao.errors import JixiaoError
from jixiao.model.codec import loads
from jixiao.model.sheet import Sheet

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "input"


@pytest.fixture(scope="module")
def seed_lines(request):
    from conftest import DATA
    return (DATA / "seed.txt").read_text(encoding="utf-8").splitlines()


def import_bytes_at(path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        sheet = files.import_sheet(path)
    except JixiaoError as e:
        assert e.message, "a JixiaoError needs a message"
        return
    assert isinstance(sheet, Sheet)
    # Whatever was imported must also survive the JSON contract.
    assert loads(services.sheet_json(sheet)) == sheet


@FUZZ
@given(text=st.text())
def test_arbitrary_text(scratch, text):
    import_bytes_at(scratch, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(data=st.binary())
def test_arbitrary_bytes(scratch, data):
    import_bytes_at(scratch, data)


# Inputs near the real thing find more: lines of the seed, shuffled, dropped,
# duplicated and mixed with noise, in the encodings users have.
noise = st.text(alphabet=st.sampled_from("\t 一级二级三级指标值产出效益满意度职能1:=≥%元{}\"\n"), max_size=30)


@FUZZ
@given(data=st.data())
def test_mangled_seed(scratch, seed_lines, data):
    lines = data.draw(st.lists(st.sampled_from(seed_lines) | noise, max_size=40))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    import_bytes_at(scratch, text.encode(encoding, errors="replace"))


@FUZZ
@given(data=st.data())
def test_truncated_and_corrupted_seed(scratch, seed_lines, data):
    raw = "\n".join(seed_lines).encode(data.draw(st.sampled_from(["utf-8", "gbk"])))
    cut = data.draw(st.integers(0, len(raw)))
    raw = bytearray(raw[:cut])
    for _ in range(data.draw(st.integers(0, 3))):
        if raw:
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    import_bytes_at(scratch, bytes(raw))


@FUZZ
@given(text=st.text(max_size=200))
def test_json_looking_input(scratch, text):
    import_bytes_at(scratch, codecs.BOM_UTF8 + ('{"' + text).encode("utf-8", errors="replace"))

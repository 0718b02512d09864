"""Review profiles (TOML): defaults, overrides, and Chinese errors that name the file and key."""
from __future__ import annotations

from importlib import resources

import pytest

from jixiao.errors import JixiaoError, ProfileInvalid
from jixiao.validation import all_rules
from jixiao.validation.profile import Profile, Thresholds, default_profile, load_profile


def write(tmp_path, text: str, name: str = "本地.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_profile_ships_as_package_data():
    text = resources.files("jixiao.validation").joinpath("profiles/default.toml").read_text("utf-8")
    assert "satisfaction_floor" in text
    p = default_profile()
    assert p.regime == "auto" and p.thresholds == Thresholds() and p.enabled == {} and p.severity == {}


def test_default_toml_matches_the_dataclass_defaults():
    # The shipped file documents every threshold; its values are the code's defaults.
    p = default_profile()
    assert (p.per_function, p.require_satisfaction) == (Profile().per_function, Profile().require_satisfaction)
    assert p.thresholds == Thresholds()


def test_overrides_keep_the_rest(tmp_path):
    p = load_profile(write(tmp_path, '''
name = "四川 2024"
regime = "2021"
[thresholds]
satisfaction_floor = 85
weight_totals = [100]
[department]
per_function = false
[rules]
V-UNMEASURABLE = false
[severity]
R5 = "error"
'''))
    assert p.name == "四川 2024" and p.regime == "2021"
    assert p.thresholds.satisfaction_floor == 85.0 and p.thresholds.weight_totals == (100.0,)
    assert p.thresholds.completion_floor == Thresholds().completion_floor
    assert not p.per_function and p.require_satisfaction
    assert not p.is_enabled("V-UNMEASURABLE") and p.is_enabled("R1")
    assert p.severity_of("R5", "warning") == "error" and p.severity_of("R6", "error") == "error"
    assert p.source.endswith("本地.toml")


@pytest.mark.parametrize("text, needle", [
    ("regime = \n", "第1行"),
    ("[thresholds\n", "第1行"),
    ("a = 1\na = 2\n", "第2行"),
])
def test_bad_toml_names_file_and_line(tmp_path, text, needle):
    path = write(tmp_path, text)
    with pytest.raises(ProfileInvalid) as e:
        load_profile(path)
    assert str(path) in e.value.message and needle in e.value.message and "TOML" in e.value.message


@pytest.mark.parametrize("text, key", [
    ('regime = "2015"\n', "regime"),
    ('colour = "red"\n', "colour"),
    ("[thresholds]\nsatisfaction_flor = 80\n", "thresholds.satisfaction_flor"),
    ('[thresholds]\nsatisfaction_floor = "八十"\n', "thresholds.satisfaction_floor"),
    ("[thresholds]\nmax_indicators = -1\n", "thresholds.max_indicators"),
    ("[thresholds]\nmax_indicators = 2.5\n", "thresholds.max_indicators"),
    ("[thresholds]\nweight_totals = []\n", "thresholds.weight_totals"),
    ("[rules]\nR99 = false\n", "rules.R99"),
    ('[rules]\nR1 = "no"\n', "rules.R1"),
    ('[severity]\nR1 = "fatal"\n', "severity.R1"),
    ("[department]\nper_function = 1\n", "department.per_function"),
    ("thresholds = 3\n", "thresholds"),
])
def test_schema_errors_name_the_key(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ProfileInvalid) as e:
        load_profile(path)
    message = e.value.message
    assert f"键 {key}:" in message and str(path) in message
    assert any("\u4e00" <= c <= "\u9fff" for c in message)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ProfileInvalid, match="不存在"):
        load_profile(tmp_path / "nope.toml")
    with pytest.raises(ProfileInvalid, match="文件夹"):
        load_profile(tmp_path)


def test_profile_errors_are_jixiao_errors_with_exit_code_2():
    assert issubclass(ProfileInvalid, JixiaoError) and ProfileInvalid("x", "y").exit_code == 2


def test_every_rule_id_can_be_switched(tmp_path):
    lines = "\n".join(f"{r.id} = false" for r in all_rules())
    p = load_profile(write(tmp_path, f"[rules]\n{lines}\n"))
    assert not any(p.is_enabled(r.id) for r in all_rules())

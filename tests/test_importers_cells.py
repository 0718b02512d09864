from jixiao.importers.recover.cells import as_function, as_label, as_number, clean_name


def test_labels_and_aliases():
    assert as_label("产出指标").level == 1
    assert as_label("数量 指标").name == "数量指标"
    assert as_label("社会公众或服务对象满意度指标").name == "服务对象满意度指标"
    assert as_label("环境效益指标").name == "生态效益指标"
    assert as_label("满意度指标").name == "满意度指标"
    assert as_label("社会公众满意度") is None  # an indicator name, not a label
    assert as_label("培训合格率") is None


def test_numbers():
    assert as_number("指标12:") == 12 and as_number("指标3：") == 3 and as_number("指标 4") == 4
    assert as_number("指标值") is None and as_number("12次") is None


def test_function_labels():
    f = as_function("职能2: 承担基层党建工作。")
    assert f.number == 2 and f.description == "承担基层党建工作。"
    assert as_function("职能3:").description is None
    assert as_function("职能概述") is None


def test_name_cleaning():
    assert clean_name("★贫困地区旅游景点开发数量( ≥**个 )") == "贫困地区旅游景点开发数量"
    assert clean_name("指标2: 人代会召开次数") == "人代会召开次数"
    assert clean_name("受益建档立卡贫困人口数≥**人") == "受益建档立卡贫困人口数"
    assert clean_name("26个村“两委”在职人数") == "26个村“两委”在职人数"

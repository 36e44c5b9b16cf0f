import pytest

from kuangzheng.policy.numbers import candidates, cn_numeral, decimals, normalise, occurs


@pytest.mark.parametrize(
    "run,value",
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一千二百", 1200),
        ("两万", 20000),
        ("千万", 10_000_000),
        ("一千零五", 1005),
        ("百", 100),
    ],
)
def test_chinese_numerals(run, value):
    assert cn_numeral(run) == value


def test_label_like_runs_are_not_one_number_but_their_parts_are_candidates():
    assert cn_numeral("十二五") is None
    exact, _ = candidates("在“十二五”末")
    assert {12.0, 5.0} <= exact and 125.0 not in exact


def test_full_width_digits_and_thousands_separators():
    assert normalise("１２，７５０千瓦时") == "12750千瓦时"
    assert occurs(12750, "低于12,750千瓦时/吨铝")
    assert occurs(12750, "低于１２７５０千瓦时/吨铝")


def test_fractions_are_met_at_the_values_precision():
    assert occurs(0.3333, "不得超过原采矿权面积的1/3")
    assert occurs(33.3, "不得超过原采矿权面积的1/3")
    assert not occurs(0.3, "不得超过原采矿权面积的1/3")
    assert occurs(0.33, "不得超过原采矿权面积的1/3")
    assert occurs(0.25, "四分之一")


def test_stated_unit_conversions():
    assert occurs(10, "不低于10万吨", "10^4 t")
    assert occurs(100000, "不低于10万吨", "t")
    assert occurs(0.273, "年均增长27.3%", "1")
    assert occurs(1000, "多龙千万吨级铜矿", "10^4 t")  # 千万吨 = 1000 万吨
    assert occurs(12000, "1.2亿吨", "10^4 t")


def test_a_wrong_number_is_not_found():
    assert not occurs(500, "必须采用400KA及以上大型预焙槽工艺", "kA")
    assert not occurs(27.4, "年均增长27.3%", "%/a")
    assert not occurs(-0.1, "0.1")
    assert occurs(-0.1, "14.4 -0.1")


def test_decimals_as_written():
    assert decimals(27.3) == 1 and decimals(12.0) == 1 and decimals(8) == 0 and decimals(19.77) == 2


@pytest.mark.parametrize(
    "quote,value,allowed",
    [
        ("铝液电解交流电耗必须低于12750千瓦时/吨铝", 12750, {"<"}),
        ("电流效率原则上不应低于93%", 93, {">="}),
        ("单系列产能不低于10万吨", 10, {">="}),
        ("必须采用400KA及以上大型预焙槽工艺", 400, {">="}),
        ("一般控制在1000平方公里以内", 1000, {"<="}),
        ("不得超过原采矿权面积的1/3", 1, set()),
        ("冶炼能力达到1400万吨左右", 1400, {"~"}),
        ("税收超百亿元", 100, set()),
    ],
)
def test_wording_cues(quote, value, allowed):
    from kuangzheng.policy.wording import implied

    cues = [c for c in implied(value, quote) if c]
    assert (cues[0] if cues else set()) == allowed


def test_table_cells_on_separate_lines_are_separate_numbers():
    row = "十种有色金属\n\t1639\n\t3121\n\t15.9\n\t13.7"  # seed 004's 专栏1, one cell per line
    assert occurs(15.9, row, "%/a") and occurs(1639, row, "10^4 t")
    assert not occurs(16393121, row)
    assert occurs(300, "井工矿规模不低于 300万吨 /年", "10^4 t")  # a space inside one number's phrase stays harmless

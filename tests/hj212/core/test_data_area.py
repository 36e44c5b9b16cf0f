"""CP parsing, split packets, the code table, aggregation and the alarm rules."""

from datetime import datetime

import pytest

from kuangzheng.hj212.core import alarms, codes, quality
from kuangzheng.hj212.core import frame as fr
from kuangzheng.hj212.core.cp import CPError, parse_cp
from kuangzheng.hj212.core.packets import Reassembler, join_cp, split_cp

MN = "010000A8900016F000169DC0"


def test_cp_items_values_and_flags():
    a = parse_cp("DataTime=20240501100000;a21026-Avg=35.2,a21026-ZsAvg=40.1,a21026-Flag=N;a19001-Avg=9.5;SB1-RS=1")
    assert a.data_time == datetime(2024, 5, 1, 10)
    assert a.values["a21026"] == {"Avg": 35.2, "ZsAvg": 40.1, "Flag": "N"}
    assert a.values["SB1"] == {"RS": 1.0}


@pytest.mark.parametrize(
    "text",
    [
        "DataTime=20241301000000",
        "a21026-Rtd=abc",
        "a21026-Rtd=nan",
        "a21026-Rtd=1e999",
        "a21026-Flag=X",
        "a21026-rtd=1",  # keys are case-sensitive: rtd is not Rtd
        "a21026-Rtd=1;a21026-Rtd=2",
    ],
)
def test_cp_strict_refuses_what_the_standard_does_not_allow(text):
    with pytest.raises(CPError):
        parse_cp(text)


def test_cp_lenient_drops_the_whole_pollutant_with_a_bad_value():
    a = parse_cp("DataTime=20240501100000;a21026-Rtd=1x,a21026-Flag=N;a21002-Rtd=50", strict=False)
    assert "a21026" not in a.values and a.values["a21002"] == {"Rtd": 50.0} and a.problems


def test_split_packets_are_reassembled_in_order_whatever_the_arrival_order():
    items = ";".join(f"a2102{i % 10}-Rtd={i}.5,a2102{i % 10}-Flag=N" for i in range(60))
    cp = "DataTime=20240501100000;" + items
    chunks = split_cp(cp, 300)
    assert len(chunks) > 2
    packets = [
        fr.parse(fr.build("20240501100000123", "32", "2011", "123456", MN, 7, c, len(chunks), n + 1))
        for n, c in enumerate(chunks)
    ]
    r = Reassembler()
    assert r.add(packets[-1]) is None
    for p in reversed(packets[1:-1]):
        assert r.add(p) is None
        assert r.add(p) is None  # a repeated packet changes nothing
    whole = r.add(packets[0])
    assert whole.cp == cp and not whole.is_split and whole.wants_reply and not r.pending


def test_reassembler_drops_stale_and_excess_messages():
    now = [0.0]
    r = Reassembler(ttl=10, max_pending=2, clock=lambda: now[0])
    mk = lambda qn, pno: fr.parse(fr.build(qn, "32", "2011", "1", MN, 7, "a21026-Rtd=1", 2, pno))
    for qn in ("20240501100000001", "20240501100000002", "20240501100000003"):
        r.add(mk(qn, 1))
    assert len(r.pending) == 2 and r.dropped == 1
    now[0] = 11
    assert r.add(mk("20240501100000004", 1)) is None and len(r.pending) == 1 and r.dropped == 3


def test_join_does_not_double_separators():
    assert join_cp(["a=1;", "b=2", "", "c=3"]) == "a=1;b=2;c=3"


def test_code_table_units_as_data():
    so2, pb_water = codes.get("a21026"), codes.get("w20120")
    assert (so2.name_zh, so2.unit, so2.medium) == ("二氧化硫", "mg/m³", "air")
    assert (pb_water.unit, pb_water.medium) == ("µg/L", "water")
    assert codes.current_code("011") == "w01018" and codes.current_code("zz999") is None


def test_conversion_to_reference_oxygen():
    assert quality.converted(100, 9.0, 6.0) == pytest.approx(100 * 15 / 12)
    assert quality.converted(100, 21.0, 6.0) is None
    assert quality.converted(100, None, None) == 100


def test_aggregate_flags_air_75_percent_water_any():
    assert quality.aggregate_flag("NNNM", "air") == "N"
    assert quality.aggregate_flag("NNMM", "air") == "M"
    assert quality.aggregate_flag("NNNNNNND", "water") == "D"


def test_aggregate_of_an_hour_by_hand():
    S = quality.Sample
    # air, 4 values, one calibrating: normal (75 %), computed from the 3 normal values only
    a = quality.aggregate([S(10, "N", 12), S(20, "N", 24), S(30, "N", 36), S(500, "C", 600)], "air")
    assert (a.avg, a.min, a.max, a.zs, a.cou, a.flag, a.count) == (20, 10, 30, 24, None, "N", 3)
    # two calibrating of four: abnormal, from all values, with the abnormal flag
    b = quality.aggregate([S(10, "N"), S(20, "N"), S(30, "C"), S(40, "C")], "air")
    assert (b.avg, b.min, b.max, b.flag, b.zs) == (25, 10, 40, "C", None)
    # minute values: min of the minimums, max of the maximums, Cou summed
    m = quality.aggregate([S(2.0, "N", min=1.0, max=3.0, cou=0.5), S(4.0, "N", min=3.5, max=6.0, cou=0.7)], "water")
    assert (m.avg, m.min, m.max, m.cou) == (3.0, 1.0, 6.0, pytest.approx(1.2))
    assert quality.aggregate([], "air") is None


def test_capture_rate():
    assert quality.capture_rate(2880, 30, 86400) == 1.0
    assert quality.capture_rate(1440, 30, 86400) == 0.5
    assert quality.capture_rate(5000, 30, 86400) == 1.0


def test_exceedance_on_the_basis_the_limit_names_and_only_on_valid_hours():
    hour = datetime(2024, 5, 1, 10)
    limits = {
        "a21026": alarms.Limit("a21026", 100, "converted", "permit", True),
        "a21002": alarms.Limit("a21002", 100, "measured", "permit"),
    }
    found = alarms.exceedances(
        [
            alarms.HourValue("a21026", hour, 90, 120, "N"),  # measured below, converted above: alarm
            alarms.HourValue("a21002", hour, 150, None, "C"),  # calibrating: not a valid hour
        ],
        limits,
    )
    assert [(a.code, a.value, a.threshold) for a in found] == [("a21026", 120, 100)]
    assert "示例限值" in found[0].message_zh and "example limit" in found[0].message_en
    assert not alarms.exceedances([alarms.HourValue("a21026", hour, 90, 100, "N")], limits)


def test_device_silence_and_capture_rules():
    t = datetime(2024, 5, 1, 10)
    states = alarms.device_states({"a21026": ("D", t), "a21002": ("N", t), "a34013": ("S", t)})
    assert [(a.code, a.unit) for a in states] == [("a21026", "D")]
    assert alarms.silence(t, t, datetime(2024, 5, 1, 10, 1), 90) is None
    assert alarms.silence(t, t, datetime(2024, 5, 1, 10, 2), 90).value == 120
    assert alarms.silence(None, t, datetime(2024, 5, 1, 11), 90) is not None
    assert alarms.capture(0.8, 0.9, t).value == 0.8
    assert alarms.capture(0.8, None, t) is None

"""Hourly values derived from real-time and minute values when the logger sent no 2061 for an hour."""

import datetime as dt

import pytest
from django.utils import timezone

from kuangzheng.hj212 import alarms, hourly, services
from kuangzheng.hj212.ingest import LOCAL
from kuangzheng.hj212.models import Alarm, Measurement
from kuangzheng.monitoring.models import WarningRecord

from .helpers import ADMIN, MN, ingest, limited_point, upload


@pytest.fixture
def point(reg):
    return limited_point(reg.fac.pk)


def an_hour(hours_ago=3) -> dt.datetime:
    """The local start of an hour long past, naive (as loggers write times)."""
    now = dt.datetime.now(LOCAL).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    return now - dt.timedelta(hours=hours_ago)


def real_time(hour, so2, o2, flags=None):
    """Real-time frames at minute 0, 15, 30, 45… of the hour with the given SO₂ and O₂ values."""
    flags = flags or ["N"] * len(so2)
    return [
        upload(
            values=f"a21026-Rtd={v},a21026-Flag={f};a19001-Rtd={o},a19001-Flag=N",
            when=hour + dt.timedelta(minutes=15 * k),
            qn=(hour + dt.timedelta(minutes=15 * k)).strftime("%Y%m%d%H%M%S") + "001",
        )
        for k, (v, o, f) in enumerate(zip(so2, o2, flags, strict=True))
    ]


def hour_rows(hour):
    at = hour.replace(tzinfo=LOCAL)
    return {m.code: m for m in Measurement.objects.filter(kind="hour", data_time=at)}


def test_derived_hour_from_real_time_values_by_hand(point):
    h = an_hour()
    # SO₂ 30, 40, 50, 60 mg/m³ at O₂ 9, 9, 12, 12 %; the point's reference O₂ is 6 %
    ingest(*real_time(h, [30, 40, 50, 60], [9, 9, 12, 12]))
    assert hourly.derive()["rows"] == 2
    rows = hour_rows(h)
    so2 = rows["a21026"]
    assert so2.derived and so2.flag == "N"
    assert (so2.value, so2.min, so2.max, so2.cou) == (45, 30, 60, None)
    # converted: C·(21−6)/(21−O₂): 30·15/12, 40·15/12, 50·15/9, 60·15/9
    assert so2.zs == pytest.approx((37.5 + 50 + 83.3333333 + 100) / 4)
    assert rows["a19001"].value == 10.5 and rows["a19001"].derived


def test_minute_values_preferred_and_their_cou_summed(point):
    h = an_hour()
    ingest(*real_time(h, [999, 999], [9, 9]))
    minutes = [
        upload(
            cn="2051",
            values=f"a21026-Avg={avg},a21026-Min={lo},a21026-Max={hi},a21026-Cou={cou},a21026-Flag=N",
            when=h + dt.timedelta(minutes=10 * k),
            qn=(h + dt.timedelta(minutes=10 * k)).strftime("%Y%m%d%H%M%S") + "002",
        )
        for k, (avg, lo, hi, cou) in enumerate([(20, 18, 23, 1.5), (26, 21, 33, 2.5)])
    ]
    ingest(*minutes)
    hourly.derive()
    so2 = hour_rows(h)["a21026"]
    assert (so2.value, so2.min, so2.max, so2.cou, so2.derived) == (23, 18, 33, 4.0, True)


def test_a_calibrating_quarter_is_left_out_of_a_normal_hour(point):
    h = an_hour()
    ingest(*real_time(h, [30, 40, 50, 900], [9, 9, 9, 9], flags=["N", "N", "N", "C"]))
    hourly.derive()
    so2 = hour_rows(h)["a21026"]
    assert (so2.value, so2.max, so2.flag) == (40, 50, "N")


def test_a_late_reported_hour_replaces_the_derived_one_and_is_never_replaced(point):
    h = an_hour()
    ingest(*real_time(h, [30, 40], [9, 9]))
    hourly.derive()
    assert hour_rows(h)["a21026"].derived
    reported = upload(
        cn="2061",
        values="a21026-Avg=33,a21026-Min=29,a21026-Max=41,a21026-ZsAvg=41.25,a21026-Flag=N",
        when=h,
        qn=h.strftime("%Y%m%d%H%M%S") + "003",
    )
    ingest(reported)
    so2 = hour_rows(h)["a21026"]
    assert (so2.value, so2.min, so2.max, so2.zs, so2.derived) == (33, 29, 41, 41.25, False)
    assert Measurement.objects.filter(kind="hour", code="a21026").count() == 1
    ingest(*real_time(h + dt.timedelta(minutes=5), [500], [9]))  # more real-time data for that hour
    hourly.derive()
    assert hour_rows(h)["a21026"].value == 33  # the reported value stands


def test_an_hour_the_logger_reported_is_not_derived(point):
    h = an_hour()
    ingest(*real_time(h, [30, 40], [9, 9]))
    ingest(upload(cn="2061", values="a21026-Avg=35,a21026-Flag=N", when=h, qn=h.strftime("%Y%m%d%H%M%S") + "004"))
    assert hourly.derive()["rows"] == 0
    assert set(hour_rows(h)) == {"a21026"}


def test_an_hour_is_derived_only_once_it_has_ended_and_the_grace_passed(point):
    h = an_hour()
    ingest(*real_time(h, [30, 40], [9, 9]))
    end = h.replace(tzinfo=LOCAL) + dt.timedelta(hours=1)
    assert hourly.derive(end + hourly.AFTER - dt.timedelta(seconds=1))["rows"] == 0
    assert hourly.derive(end + hourly.AFTER)["rows"] == 2


def test_rerunning_is_idempotent(point):
    h = an_hour()
    ingest(*real_time(h, [30, 40], [9, 9]))
    hourly.derive()
    first = list(Measurement.objects.filter(kind="hour").order_by("code").values())
    again = hourly.derive()
    assert again["rows"] == 0
    assert list(Measurement.objects.filter(kind="hour").order_by("code").values()) == first


def test_exceedance_raised_from_derived_values(point):
    h = an_hour(hours_ago=3)  # so that the next hour, too, ended more than AFTER ago
    # SO₂ 100 and 120 at O₂ 9 %: converted 125 and 150, average 137.5 above the converted limit 100
    ingest(*real_time(h, [100, 120], [9, 9]))
    result = alarms.evaluate()
    assert result["derived_hours"]["rows"] == 2
    a = Alarm.objects.get(kind="exceedance", ended_at__isnull=True)
    assert (a.code, a.value, a.threshold) == ("a21026", 137.5, 100)
    assert a.at == h.replace(tzinfo=LOCAL) and "computed from real-time or minute data" in a.message_en
    assert WarningRecord.objects.get(rule_id=f"hj212.exceedance.{MN}").active
    # a later valid hour below the limit closes it, as with reported values
    ingest(*real_time(h + dt.timedelta(hours=1), [40], [9]))
    alarms.evaluate(timezone.now())
    a.refresh_from_db()
    assert a.ended_at is not None


def test_series_says_which_hours_were_derived(point):
    h = an_hour()
    ingest(*real_time(h, [30, 40], [9, 9]))
    hourly.derive()
    [row] = services.series(ADMIN, point.pk, "a21026", "hour", 6)["series"]["a21026"]
    assert row[1] == 35 and row[4] is True


def test_a_second_reported_hour_does_not_overwrite_the_first(point):
    h = an_hour()
    for qn, avg in (("005", 35), ("006", 99)):  # the same hour re-sent under a new QN with other values
        ingest(upload(cn="2061", values=f"a21026-Avg={avg},a21026-Flag=N", when=h, qn=h.strftime("%Y%m%d%H%M%S") + qn))
    so2 = hour_rows(h)["a21026"]
    assert (so2.value, so2.derived) == (35, False)

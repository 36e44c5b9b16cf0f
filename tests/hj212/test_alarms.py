"""Alarms from stored data into the monitoring warnings; registering points and limits."""

import datetime as dt

import pytest
from django.utils import timezone

from kuangzheng.access.actor import SYSTEM_ACTOR, Actor
from kuangzheng.errors import InvalidInput
from kuangzheng.hj212 import alarms, partitions, services
from kuangzheng.hj212.ingest import LOCAL
from kuangzheng.hj212.models import Alarm, Measurement, MonitoringPoint, ReceivedFrame
from kuangzheng.monitoring import warnings
from kuangzheng.monitoring.models import WarningRecord

from .helpers import ADMIN, MN, ingest, limited_point, register, upload


@pytest.fixture
def point(reg):
    return limited_point(reg.fac.pk)


def hour_frame(hour, zs, flag="N", qn_suffix="1"):
    values = f"a21026-Avg={zs * 0.8},a21026-ZsAvg={zs},a21026-Flag={flag};a19001-Avg=9,a19001-Flag=N"
    return upload(cn="2061", values=values, when=hour, qn=hour.strftime("%Y%m%d%H%M%S") + qn_suffix.rjust(3, "0"))


def last_hour():
    return (dt.datetime.now(LOCAL) - dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0, tzinfo=None)


def test_exceedance_on_the_converted_hourly_average_opens_then_closes(point):
    h = last_hour()
    ingest(hour_frame(h - dt.timedelta(hours=1), 150))
    alarms.evaluate()
    a = Alarm.objects.get(kind="exceedance", ended_at__isnull=True)
    assert (a.code, a.value, a.threshold) == ("a21026", 150, 100) and "example limit" in a.message_en
    w = WarningRecord.objects.get(rule_id=f"hj212.exceedance.{MN}")
    assert w.active and w.metal == "a21026" and w.division == "150200" and w.value == 150
    ingest(hour_frame(h, 80))  # the next hour is below the limit
    alarms.evaluate()
    a.refresh_from_db()
    assert a.ended_at is not None
    assert not WarningRecord.objects.get(rule_id=f"hj212.exceedance.{MN}").active


def test_measured_value_below_converted_limit_still_alarms(point):
    ingest(hour_frame(last_hour(), 120))  # Avg 96 (below 100), ZsAvg 120 (above): the limit is on converted
    alarms.evaluate()
    assert Alarm.objects.filter(kind="exceedance").exists()


def test_an_hour_flagged_calibrating_is_not_judged_but_raises_no_exceedance(point):
    ingest(hour_frame(last_hour(), 500, flag="C"))
    alarms.evaluate()
    assert not Alarm.objects.filter(kind="exceedance").exists()


def test_device_state_from_flags(point):
    ingest(upload(values="a21026-Rtd=30,a21026-Flag=D;a19001-Rtd=9,a19001-Flag=N"))
    alarms.evaluate()
    a = Alarm.objects.get(kind="device")
    assert a.code == "a21026" and a.unit == "D" and "故障" in a.message_zh


def test_silence_counts_from_the_last_contact(point):
    MonitoringPoint.objects.filter(pk=point.pk).update(silence_allowed=5, last_contact=timezone.now())
    alarms.evaluate()
    assert not Alarm.objects.filter(kind="silence").exists()
    alarms.evaluate(timezone.now() + dt.timedelta(seconds=30))
    assert Alarm.objects.get(kind="silence").value >= 30
    assert WarningRecord.objects.get(rule_id=f"hj212.silence.{MN}").active


def test_daily_capture_rate_below_the_regulators_threshold(point):
    MonitoringPoint.objects.filter(pk=point.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3), capture_threshold=0.9, capture_source="示例"
    )
    yesterday = (dt.datetime.now(LOCAL) - dt.timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    ingest(*[upload(when=(yesterday + dt.timedelta(seconds=30 * k)).replace(tzinfo=None)) for k in range(100)])
    alarms.evaluate()
    a = Alarm.objects.get(kind="capture")
    assert a.value == pytest.approx(100 / 2880, abs=1e-4) and a.threshold == 0.9


def test_monitoring_evaluation_leaves_online_monitoring_warnings_alone(point):
    ingest(hour_frame(last_hour(), 150))
    alarms.evaluate()
    warnings.evaluate(SYSTEM_ACTOR)  # resolves only the warnings of its own rules
    assert WarningRecord.objects.get(rule_id=f"hj212.exceedance.{MN}").active


def test_limits_need_a_source_a_matching_code_and_a_reference_o2_to_convert(reg):
    p = register(reg.fac.pk)  # no reference O₂
    with pytest.raises(InvalidInput) as exc:
        services.set_limit(ADMIN, p.pk, {"code": "w01018", "value": -1, "basis": "converted"})
    assert {x.field for x in exc.value.problems} == {"code", "value", "basis", "source"}


def test_registering_a_point_is_validated_and_scoped(reg):
    qinghai = Actor("qh", "regulator", division_code="630000")
    with pytest.raises(InvalidInput) as exc:
        services.register_point(
            qinghai, {"facility": reg.fac.pk, "mn": "xyz", "password": "", "medium": "x", "rtd_interval": 5}
        )
    assert {x.field for x in exc.value.problems} == {"facility", "mn", "password", "name", "medium", "rtd_interval"}
    assert not MonitoringPoint.objects.exists()


def test_retention_removes_old_real_time_values_keeps_hourly(point):
    old = dt.datetime.now() - dt.timedelta(days=40)
    ingest(upload(when=old.replace(microsecond=0)), hour_frame(old.replace(minute=0, second=0, microsecond=0), 50))
    ingest(upload())
    out = partitions.purge(timezone.now(), days=30)
    assert (out["frames"], out["measurements"]) == (0, 2)  # the frames were received today
    assert set(Measurement.objects.values_list("kind", flat=True)) == {"rtd", "hour"}
    ReceivedFrame.objects.filter(cn="2061").update(received_at=timezone.now() - dt.timedelta(days=31))
    assert partitions.purge(timezone.now(), days=30)["frames"] == 1 and ReceivedFrame.objects.count() == 2


def test_monthly_partitions_on_postgresql(point):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("partitions exist on PostgreSQL only")
    made = partitions.ensure(dt.date.today(), before=1, after=1)
    assert len(made) == 3
    ingest(upload())
    with connection.cursor() as cur:
        cur.execute("SELECT tableoid::regclass::text FROM hj212_measurement LIMIT 1")
        assert cur.fetchone()[0] == f"hj212_measurement_y{dt.date.today():%Y}m{dt.date.today():%m}"


def test_a_frame_is_stored_once_across_batches_and_within_one(point):
    frame = upload()
    [first] = ingest(frame)
    again, same = ingest(frame, frame)  # re-sent: in a later batch, and twice in one batch
    assert not first.duplicate and again.duplicate and same.duplicate
    assert ReceivedFrame.objects.count() == 1 and Measurement.objects.count() == 2
    later = upload(when=dt.datetime.now().replace(microsecond=0) + dt.timedelta(seconds=30))
    dup, fresh = ingest(frame, later)  # one batch, one copy and one new frame
    assert dup.duplicate and not fresh.duplicate
    assert ReceivedFrame.objects.count() == 2 and Measurement.objects.count() == 4


def test_a_new_qn_for_values_already_stored_keeps_the_batch(point):
    when = dt.datetime.now().replace(microsecond=0)
    ingest(upload(when=when, qn=when.strftime("%Y%m%d%H%M%S") + "001"))
    other = upload(when=when, qn=when.strftime("%Y%m%d%H%M%S") + "002", values="a21026-Rtd=99,a21026-Flag=N")
    [o] = ingest(other, upload(when=when + dt.timedelta(seconds=30)))[:1]
    assert not o.duplicate  # a new message, whose value for that time was already there: the first stands
    assert Measurement.objects.get(code="a21026", data_time=when.replace(tzinfo=LOCAL)).value == 35.2
    assert ReceivedFrame.objects.count() == 3 and Measurement.objects.filter(code="a21026").count() == 2

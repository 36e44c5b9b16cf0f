"""Mutated frames thrown at the running receiver, strict and lenient: it answers a valid frame after
each burst (it never stops serving), its handlers raise nothing, and nothing stored is garbage."""

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuangzheng.hj212.core import codes
from kuangzheng.hj212.core.cp import DATA_FLAGS
from kuangzheng.hj212.models import Measurement, ReceivedFrame

from .helpers import MN, Running, mutations, register, upload

NOW = dt.datetime.now().replace(microsecond=0)
SEEDS = [
    upload(when=NOW, qn="20240501101500001"),
    upload(
        cn="2061",
        values="a21026-Avg=35.2,a21026-ZsAvg=40.1,a21026-Min=30,a21026-Max=40,a21026-Flag=N;a21002-Avg=80,a21002-Flag=T",
        when=NOW.replace(minute=0, second=0),
        qn="20240501101500002",
    ),
]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
def test_receiver_survives_mutated_frames(transactional_db, reg, strict):
    register(reg.fac.pk)
    running = Running(strict=strict)
    counter = iter(range(10_000))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(mutations(SEEDS), min_size=1, max_size=5))
    def burst(frames):
        c = running.connect()
        try:
            for f in frames:
                c.send(f)
            c.send(b"\r\n")
            probe = upload(qn=f"2030010100{next(counter):07d}")
            c.send(probe)
            while (a := c.answer()).qn != probe[9:26].decode() or a.cn != "9014":
                pass
        finally:
            c.close()

    try:
        burst()
    finally:
        running.close()
    assert running.receiver.stats["handler_errors"] == 0
    assert set(ReceivedFrame.objects.values_list("mn", flat=True)) == {MN}
    for m in Measurement.objects.all():
        assert codes.get(m.code) and m.flag in DATA_FLAGS
        assert all(v is None or math.isfinite(v) for v in (m.value, m.min, m.max, m.cou, m.zs))

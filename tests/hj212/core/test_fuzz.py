"""Mutated frames thrown at the parser: it never crashes (only FrameError / CPError), a frame strict
mode accepts is exactly a valid frame (rebuilding it gives the same bytes), and what lenient mode
keeps has a readable identity and only finite numbers."""

import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuangzheng.hj212.core import frame as fr
from kuangzheng.hj212.core.cp import CPError, parse_cp
from tests.hj212.helpers import mutations

SEEDS = [
    fr.build("20160801085857223", "32", "1062", "100000", "010000A8900016F000169DC0", 5, "RtdInterval=30"),
    fr.build(
        "20240501101500000",
        "32",
        "2011",
        "123456",
        "010000A8900016F000169DC0",
        5,
        "DataTime=20240501101500;a21026-Rtd=12.5,a21026-ZsRtd=14.1,a21026-Flag=N;a19001-Rtd=9.1,a19001-Flag=N",
    ),
    fr.build("20240501100000000", "32", "2061", "123456", "AB00000000000000000000FF", 7, "a20043-Avg=0.1", 2, 1),
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations(SEEDS))
def test_mutated_frames(raw):
    try:
        strict = fr.parse(raw)
    except fr.FrameError:
        strict = None
    if strict is not None:
        again = fr.build(
            strict.qn, strict.st, strict.cn, strict.pw, strict.mn, strict.flag, strict.cp, strict.pnum, strict.pno
        )
        assert again.upper() == raw.upper() and strict.crc_ok
    try:
        kept = fr.parse(raw, strict=False)
    except fr.FrameError:
        return
    assert re.fullmatch(r"\d{1,20}", kept.qn) and re.fullmatch(r"\d{4}", kept.cn)
    assert re.fullmatch(r"[0-9A-Za-z_-]{1,24}", kept.mn)
    area = parse_cp(kept.cp, strict=False)
    for fields in area.values.values():
        for v in fields.values():
            assert isinstance(v, str) or math.isfinite(v)
    try:
        parse_cp(kept.cp)
    except CPError:
        pass


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=1100))
def test_arbitrary_bytes(raw):
    for strict in (True, False):
        try:
            fr.parse(raw, strict=strict)
        except fr.FrameError:
            pass

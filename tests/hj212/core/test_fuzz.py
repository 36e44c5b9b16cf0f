"""Mutated frames thrown at the parser: it never crashes (only FrameError / CPError), a frame strict
mode accepts is exactly a valid frame (rebuilding it gives the same bytes), and what lenient mode
keeps has a readable identity and only finite numbers."""

import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuangzheng.hj212.core import frame as fr
from kuangzheng.hj212.core.cp import CPError, parse_cp

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


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "ascii"]))
        i = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete" and data:
            del data[i : i + draw(st.integers(1, 8))]
        elif op == "truncate":
            data = data[:i]
        elif op == "duplicate":
            data[i:i] = data[i : i + draw(st.integers(1, 40))]
        elif op == "ascii" and data:
            data[i] = ord(draw(st.sampled_from(";,=&-#.eE+nN0123456789")))
    return bytes(data)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
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

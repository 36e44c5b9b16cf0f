"""The receiver over a real loopback TCP socket, storing into the test database."""

import datetime as dt
import socket
import time

import pytest

from kuangzheng.hj212.core import frame as fr
from kuangzheng.hj212.core.packets import split_cp
from kuangzheng.hj212.models import Measurement, MonitoringPoint, ReceivedFrame

from .helpers import MN, PW, Running, register, upload


def wrong_crc(raw: bytes) -> bytes:
    return raw[:-6] + b"%04X" % (int(raw[-6:-2], 16) ^ 0x1) + b"\r\n"


@pytest.fixture
def point(transactional_db, reg):
    return register(reg.fac.pk, reference_o2=6)


@pytest.fixture
def strict(point):
    r = Running(strict=True)
    yield r
    r.close()


@pytest.fixture
def lenient(point):
    r = Running(strict=False)
    yield r
    r.close()


def test_upload_is_stored_once_and_answered_each_time(strict, point):
    c = strict.connect()
    frame = upload()
    first = c.ask(frame)
    assert (first.cn, first.st, first.qn, first.flag, first.cp) == ("9014", "91", fr.parse(frame).qn, 4, "")
    again = c.ask(frame)  # the logger did not get the answer and sends the same QN again
    assert again.cn == "9014"
    assert ReceivedFrame.objects.count() == 1
    rows = {m.code: m for m in Measurement.objects.all()}
    assert set(rows) == {"a21026", "a19001"} and rows["a21026"].value == 35.2
    assert rows["a21026"].zs == pytest.approx(35.2 * 15 / 12)  # converted to the point's 6 % O₂
    assert MonitoringPoint.objects.get().last_contact is not None


def test_no_answer_when_flag_does_not_ask(strict):
    c = strict.connect(timeout=1)
    c.send(upload(flag=4))
    with pytest.raises(socket.timeout):
        c.answer()
    assert ReceivedFrame.objects.count() == 1


@pytest.mark.parametrize(
    "make, rtn",
    [
        (lambda: wrong_crc(upload()), 9),
        (lambda: upload(mn="FFFFFFFFFFFFFFFFFFFFFFFF"), 4),  # unknown MN
        (lambda: upload(pw="654321"), 3),  # wrong password
        (lambda: b"##9999" + upload()[6:], 2),  # bad length
        (lambda: upload(values="a21026-Rtd=abc"), 2),  # unreadable value
    ],
)
def test_strict_refusals_answered_with_qnrtn_and_nothing_stored(strict, make, rtn):
    raw = make()
    answer = strict.connect().ask(raw)
    if rtn == 2 and raw.startswith(b"##9999"):
        assert answer.cn == "9011" and answer.cp == "QnRtn=2"
    else:
        assert (answer.cn, answer.cp) == ("9011", f"QnRtn={rtn}")
    assert not ReceivedFrame.objects.exists() and not Measurement.objects.exists()


def test_lenient_keeps_a_frame_with_a_wrong_crc_and_says_so(lenient):
    bad = wrong_crc(upload())
    assert lenient.connect().ask(b"noise" + bad).cn == "9014"
    kept = ReceivedFrame.objects.get()
    assert not kept.crc_ok and "CRC" in kept.problems
    assert Measurement.objects.count() == 2


def test_lenient_still_refuses_unknown_mn_and_wrong_password(lenient):
    c = lenient.connect()
    assert c.ask(upload(mn="FFFFFFFFFFFFFFFFFFFFFFFF")).cp == "QnRtn=4"
    assert c.ask(upload(pw="000000")).cp == "QnRtn=3"
    assert not ReceivedFrame.objects.exists()


def test_split_packets_stored_once_complete(strict):
    when = dt.datetime.now().replace(microsecond=0)
    cp = f"DataTime={when:%Y%m%d%H%M%S};" + ";".join(
        f"{code}-Avg={v},{code}-Flag=N"
        for code, v in [("a21026", 30.5), ("a21002", 80.1), ("a34013", 5.2), ("a19001", 9)]
    )
    chunks = split_cp(cp, 50)
    qn = when.strftime("%Y%m%d%H%M%S") + "777"
    packets = [fr.build(qn, "31", "2061", PW, MN, 7, c, len(chunks), n + 1) for n, c in enumerate(chunks)]
    c = strict.connect()
    for p in packets[:-1]:
        assert c.ask(p).cn == "9014"
        assert not Measurement.objects.exists()
    assert c.ask(packets[-1]).cn == "9014"
    assert sorted(Measurement.objects.filter(kind="hour").values_list("code", flat=True)) == [
        "a19001",
        "a21002",
        "a21026",
        "a34013",
    ]
    assert c.ask(packets[-1]).cn == "9014" and ReceivedFrame.objects.count() == 1  # a packet re-sent later


def test_oversized_input_is_dropped_and_the_connection_keeps_working(strict):
    c = strict.connect()
    c.send(b"##" + b"9" * 5000)  # no end: dropped up to the next CR LF
    c.send(b"\r\n")
    assert c.ask(upload()).cn == "9014"
    assert strict.receiver.stats["oversize"] == 1


def test_connection_limit_and_read_timeout(point):
    r = Running(strict=True, max_connections=1, read_timeout=0.5)
    try:
        first = r.connect()
        assert first.ask(upload()).cn == "9014"
        second = r.connect()
        with pytest.raises((ConnectionError, OSError)):
            second.ask(upload(qn="20240101000000002"))
        time.sleep(1.0)  # the first connection idles past the read timeout and is closed
        with pytest.raises((ConnectionError, OSError)):
            first.ask(upload(qn="20240101000000003"))
        assert r.receiver.stats["timeouts"] >= 1 and r.receiver.stats["connections_refused"] >= 1
        assert r.connect().ask(upload(qn="20240101000000004")).cn == "9014"  # room again
    finally:
        r.close()

"""Frames, CRC and replies on the standard's own examples and on frames from the field that other
parsers get wrong."""

import random

import pytest

from kuangzheng.hj212.core import frame as fr
from kuangzheng.hj212.core import replies
from kuangzheng.hj212.core.frame import FrameError, QnRtn

STANDARD_SEGMENT = (
    b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"
)
STANDARD_FRAME = b"##0101" + STANDARD_SEGMENT + b"1C80\r\n"
# hj-t212-parser's README frame (HJ/T 212-2005 style, no QN, no Flag): its published CRC 4980 is wrong
FIELD_WRONG_CRC = (
    b"##0136ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817;B01-Rtd=36.91;"
    b"011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&4980\r\n"
)
# alltobs-hj212's README water frame: lowercase CRC, Flag=8 (not the 2017 version bits), short MN
FIELD_LOWERCASE = (
    b"##0435QN=20210301111100112;ST=21;CN=2011;PW=123456;MN=ZLDSZ20210127;Flag=8;CP=&&DataTime=20210301111100;"
    b"w01001-Rtd=8.33,w01001-Flag=N;w01009-Rtd=10.15,w01009-Flag=N;w01010-Rtd=9.7,w01010-Flag=N;"
    b"w01014-Rtd=1425,w01014-Flag=N;w01003-Rtd=13.10,w01003-Flag=N;w21011-Rtd=0,w21011-Flag=N;"
    b"w21001-Rtd=3.563168,w21001-Flag=N;w21003-Rtd=0.09055002,w21003-Flag=N;w01019-Rtd=4.102818,"
    b"w01019-Flag=N;w01008-Rtd=0,w01008-Flag=N;w23002-Rtd=0,w23002-Flag=N&&7d00\r\n"
)


def modbus(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def test_standard_example_crc_is_1c80_not_modbus():
    assert fr.crc_text(STANDARD_SEGMENT) == "1C80"
    assert f"{modbus(STANDARD_SEGMENT):04X}" == "0759"  # what a MODBUS implementation would send


def test_table_crc_equals_the_appendix_algorithm():
    rng = random.Random(212)
    for n in range(300):
        data = bytes(rng.randrange(256) for _ in range(n % 97))
        assert fr.crc16(data) == fr.crc16_bitwise(data)


def test_standard_example_parses_and_rebuilds_byte_for_byte():
    f = fr.parse(STANDARD_FRAME)
    assert (f.qn, f.st, f.cn, f.pw, f.mn, f.flag, f.cp) == (
        "20160801085857223",
        "32",
        "1062",
        "100000",
        "010000A8900016F000169DC0",
        5,
        "RtdInterval=30",
    )
    assert f.wants_reply and not f.is_split and f.crc_ok
    assert fr.build(f.qn, f.st, f.cn, f.pw, f.mn, f.flag, f.cp) == STANDARD_FRAME


def test_lowercase_crc_is_accepted_in_strict_mode():
    assert fr.parse(STANDARD_FRAME.replace(b"1C80", b"1c80")).crc_ok


def test_wrong_crc_refused_in_strict_kept_in_lenient():
    bad = STANDARD_FRAME.replace(b"1C80", b"1C81")
    with pytest.raises(FrameError) as exc:
        fr.parse(bad)
    assert exc.value.rtn == QnRtn.CRC_ERROR and exc.value.fields["MN"] == "010000A8900016F000169DC0"
    kept = fr.parse(bad, strict=False)
    assert not kept.crc_ok and any("CRC" in p for p in kept.problems)


def test_field_frame_with_published_wrong_crc():
    assert fr.crc_text(FIELD_WRONG_CRC[6:-6]) == "3C00"  # the README publishes 4980
    with pytest.raises(FrameError):
        fr.parse(FIELD_WRONG_CRC)
    kept = fr.parse(FIELD_WRONG_CRC, strict=False)
    assert kept.mn == "LD130133000015" and kept.qn == "20160824003817000" and not kept.crc_ok
    assert "011-Rtd=231.0" in kept.cp


def test_field_frame_with_lowercase_crc_kept_in_lenient_refused_in_strict_for_its_mn():
    kept = fr.parse(FIELD_LOWERCASE, strict=False)
    assert kept.crc_ok and kept.flag == 8 and kept.cp.count("-Rtd=") == 11
    with pytest.raises(FrameError) as exc:
        fr.parse(FIELD_LOWERCASE)
    assert exc.value.rtn == QnRtn.MN_ERROR


@pytest.mark.parametrize(
    "mutate, rtn",
    [
        (lambda s: s.replace(b"##0101", b"##0102"), QnRtn.REJECTED),  # length does not match
        (lambda s: s.replace(b"##0101", b"##01x1"), QnRtn.REJECTED),
        (lambda s: s[:-2], QnRtn.REJECTED),  # no CR LF
        (lambda s: s.replace(b"CN=1062", b"CN=106a"), QnRtn.CN_ERROR),
        (lambda s: s.replace(b"QN=20160801085857223", b"QN=20161301085857223"), QnRtn.QN_ERROR),
        (lambda s: s.replace(b"Flag=5", b"Flag=9"), QnRtn.FLAG_ERROR),  # version bits 000010
        (lambda s: s.replace(b"QN=", b"qn="), QnRtn.REJECTED),  # keys are case-sensitive
    ],
)
def test_strict_refusals_carry_the_right_code(mutate, rtn):
    seg_fixed = mutate(STANDARD_FRAME)
    if seg_fixed.startswith(b"##0101") and seg_fixed.endswith(b"\r\n") and len(seg_fixed) == len(STANDARD_FRAME):
        seg_fixed = fr.wrap(seg_fixed[6:-6].decode())  # a valid CRC, so that the field itself is what fails
    with pytest.raises(FrameError) as exc:
        fr.parse(seg_fixed)
    assert exc.value.rtn == rtn


def test_oversized_frames_are_refused_before_anything_else():
    with pytest.raises(FrameError):
        fr.parse(b"##1025" + b"x" * 1025 + b"0000\r\n")
    with pytest.raises(ValueError):
        fr.wrap("x" * 1025)


def test_data_answer_9014_matches_the_computed_reference():
    upload = fr.parse(fr.wrap(STANDARD_SEGMENT.decode().replace("PW=100000", "PW=123456")))
    assert replies.data_answer(upload) == (
        b"##0087QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&3240\r\n"
    )


def test_every_reply_repeats_the_qn_and_parses_back():
    req = fr.parse(STANDARD_FRAME)
    for raw, cn, cp in [
        (replies.request_answer(req, QnRtn.READY), "9011", "QnRtn=1"),
        (replies.request_answer(req, QnRtn.CRC_ERROR), "9011", "QnRtn=9"),
        (replies.execution_result(req, fr.ExeRtn.SUCCESS), "9012", "ExeRtn=1"),
        (replies.execution_result(req, fr.ExeRtn.NO_DATA), "9012", "ExeRtn=100"),
        (replies.notice_answer(req), "9013", ""),
        (replies.data_answer(req), "9014", ""),
    ]:
        back = fr.parse(raw)
        assert (back.qn, back.st, back.cn, back.flag, back.cp, back.mn) == (req.qn, "91", cn, 4, cp, req.mn)
        assert not back.wants_reply


def test_a_logger_answers_a_request_with_9011_then_9012():
    out = replies.answer_request(fr.parse(STANDARD_FRAME))
    assert [fr.parse(r).cn for r in out] == ["9011", "9012"]
    no_reply = fr.parse(fr.wrap(STANDARD_SEGMENT.decode().replace("Flag=5", "Flag=4")))
    assert [fr.parse(r).cn for r in replies.answer_request(no_reply)] == ["9012"]


def test_uploads_are_answered_with_9014_only_when_flag_asks():
    seg = "QN=20240501101500000;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag={};CP=&&DataTime=20240501101500;a21026-Rtd=12.5,a21026-Flag=N&&"
    asks, silent = fr.parse(fr.wrap(seg.format(5))), fr.parse(fr.wrap(seg.format(4)))
    assert fr.parse(replies.answer_upload(asks)).cn == "9014"
    assert replies.answer_upload(silent) is None


def test_refusal_answers_only_when_it_can_address_the_sender():
    assert (
        fr.parse(replies.refusal({"QN": "20160801085857223", "MN": "AB12"}, QnRtn.MN_ERROR), strict=False).cp
        == "QnRtn=4"
    )
    assert replies.refusal({"MN": "AB12"}, QnRtn.QN_ERROR) is None
    assert replies.refusal({"QN": "1", "MN": "A;CN=1"}, QnRtn.REJECTED) is None  # no injection into a reply

"""The answers of HJ 212-2017 (system code ST=91): 9011 request answer (QnRtn), 9012 execution
result (ExeRtn), 9013 notice answer, 9014 data answer. Each repeats the QN, PW and MN of what it
answers and carries Flag=4 (version 2017, no answer wanted)."""

from __future__ import annotations

from dataclasses import dataclass

from .frame import VERSION_2017, ExeRtn, Frame, QnRtn, build

ST_SYSTEM = "91"
REPLY_FLAG = VERSION_2017 << 2  # 4
DATA_COMMANDS = {"2011", "2051", "2061", "2031", "2041", "2021", "2081"}  # uploads answered by 9014


@dataclass(frozen=True)
class Outcome:
    """What became of a received message: accepted (perhaps a re-sent one) or refused with a code."""

    accepted: bool
    rtn: QnRtn = QnRtn.READY
    duplicate: bool = False
    reason: str = ""


def _reply(qn: str, pw: str, mn: str, cn: str, cp: str) -> bytes:
    return build(qn, ST_SYSTEM, cn, pw, mn, REPLY_FLAG, cp)


def request_answer(frame: Frame, rtn: QnRtn) -> bytes:
    return _reply(frame.qn, frame.pw, frame.mn, "9011", f"QnRtn={int(rtn)}")


def execution_result(frame: Frame, rtn: ExeRtn) -> bytes:
    return _reply(frame.qn, frame.pw, frame.mn, "9012", f"ExeRtn={int(rtn)}")


def notice_answer(frame: Frame) -> bytes:
    return _reply(frame.qn, frame.pw, frame.mn, "9013", "")


def data_answer(frame: Frame) -> bytes:
    """`ST=91;CN=9014;Flag=4;CP=&&&&` with the same QN."""
    return _reply(frame.qn, frame.pw, frame.mn, "9014", "")


def refusal(fields: dict, rtn: QnRtn) -> bytes | None:
    """9011 for a refused frame, built from what could be read of its header; None when neither QN
    nor MN could be read (there is nothing to address the answer to)."""
    qn, mn = fields.get("QN", ""), fields.get("MN", "")
    if not (qn.isdigit() and len(qn) <= 20 and mn and len(mn) <= 24 and mn.isalnum()):
        return None
    pw = fields.get("PW", "")
    pw = pw if pw.isalnum() and len(pw) <= 6 else ""
    return _reply(qn, pw, mn, "9011", f"QnRtn={int(rtn)}")


def answer_upload(frame: Frame) -> bytes | None:
    """What a receiver sends back for an accepted upload: 9014 when Flag asks for an answer."""
    if frame.wants_reply and frame.cn in DATA_COMMANDS:
        return data_answer(frame)
    if frame.wants_reply:
        return notice_answer(frame)
    return None


def answer_request(frame: Frame, executed: bool = True) -> list[bytes]:
    """What a data logger sends for a request from the platform (set an interval, extract data…):
    9011 (ready) when Flag asks for it, then 9012 with the result."""
    out = [request_answer(frame, QnRtn.READY)] if frame.wants_reply else []
    out.append(execution_result(frame, ExeRtn.SUCCESS if executed else ExeRtn.FAILED))
    return out

"""The shared attachment service (kuangzheng.attachments, checks in kuangzheng.uploads): a file too
large, empty or of a type not accepted is refused naming the field in Chinese and English and
leaves nothing stored; an accepted one is stored with its SHA-256, size and the type read from its
bytes; the download is never shown inline. Exercised through supervision's attachment model, whose
owners are optional, so no case has to exist first."""

import hashlib
import io

import pytest

from kuangzheng import attachments, uploads
from kuangzheng.errors import FieldProblem, InvalidInput
from kuangzheng.supervision.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
TYPES = {"application/pdf": ["%PDF-"], "image/png": [b"\x89PNG\r\n\x1a\n"]}

pytestmark = pytest.mark.django_db


def _refusal(content, types=TYPES, **kw) -> InvalidInput:
    with pytest.raises(InvalidInput) as e:
        attachments.store(Attachment, "tester", "x.pdf", content, types, **kw)
    assert all(p.zh and p.en for p in e.value.problems)
    assert not Attachment.objects.exists()  # a refused file leaves nothing stored
    return e.value


def test_an_accepted_file_is_stored_with_its_digest_size_and_sniffed_type():
    a = attachments.store(Attachment, "tester", "现场照片.png", PNG, TYPES)
    a.refresh_from_db()
    assert (a.sha256, a.size, a.content_type) == (hashlib.sha256(PNG).hexdigest(), len(PNG), "image/png")
    assert bytes(a.content) == PNG and a.filename == "现场照片.png" and a.uploaded_by == "tester"


def test_a_file_over_the_upload_limit_is_refused_naming_the_setting(monkeypatch):
    monkeypatch.setenv("KZ_MAX_UPLOAD_BYTES", "100")
    attachments.store(Attachment, "tester", "ok.pdf", PDF.ljust(100, b" "), TYPES).delete()  # at the limit
    e = _refusal(PDF.ljust(101, b" "))
    assert [p.field for p in e.problems] == ["file"]
    assert "KZ_MAX_UPLOAD_BYTES" in e.problems[0].zh and "100" in e.problems[0].en


def test_a_file_of_another_type_is_refused_whatever_its_name_says():
    e = _refusal(b"MZ\x90\x00 an executable named x.pdf")
    assert [p.field for p in e.problems] == ["file"] and "PDF, PNG" in e.problems[0].en
    _refusal(PNG, types={"application/pdf": ["%PDF-"]})  # a PNG where only PDF is accepted


def test_an_empty_file_is_refused():
    e = _refusal(b"")
    assert "empty" in e.problems[0].en


def test_the_domains_problems_come_with_the_files_all_at_once():
    item = FieldProblem("item", "没有此材料项", "no such item")
    e = _refusal(b"not a pdf", problems=[item])
    assert [p.field for p in e.problems] == ["item", "file"]
    _refusal(PDF, problems=[item])  # a good file is not stored when the domain refuses


def test_the_stored_name_is_the_last_part_without_control_characters():
    assert attachments.clean_name("C:\\Users\\x\\报告.pdf", "file") == "报告.pdf"
    assert attachments.clean_name("../../etc/pass\x00wd\n", "file") == "passwd"
    assert attachments.clean_name("", "plan.pdf") == "plan.pdf"
    assert len(attachments.clean_name("a" * 500, "file")) == attachments.NAME_LENGTH


def test_an_upload_is_read_no_further_than_one_byte_past_the_limit(monkeypatch):
    monkeypatch.setenv("KZ_MAX_UPLOAD_BYTES", "10")
    assert attachments.read(io.BytesIO(b"0" * 1000)) == b"0" * 11
    assert attachments.read(None) == b""


def test_a_download_is_an_attachment_the_browser_does_not_sniff():
    a = attachments.store(Attachment, "tester", "整改报告.pdf", PDF, TYPES)
    resp = attachments.response(Attachment.objects.get(pk=a.pk))
    assert resp.content == PDF and resp["Content-Type"] == "application/pdf"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in resp["Content-Disposition"]


def test_types_are_recognised_by_their_first_bytes_only():
    assert uploads.sniff(b"xx%PDF-", TYPES) is None
    assert uploads.sniff(b"%PDF-1.7", TYPES) == "application/pdf"

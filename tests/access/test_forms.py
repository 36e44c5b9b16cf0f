"""The portal forms' shared helpers: a service error reaches the reader as one text a field problem in
their language, and a form's write returns to its page with "done" or the errors (a 404 only for a
record that is not there)."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import Http404
from django.test import RequestFactory

from kuangzheng.access.actor import PUBLIC_ACTOR
from kuangzheng.access.forms import error_texts, show_errors, write_then_redirect
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound, ServiceError

TWO_PROBLEMS = InvalidInput(
    [FieldProblem("name", "必填", "required"), FieldProblem("area", "须为数字", "must be a number", row=3)]
)


def _request(lang="zh", data=None):
    request = RequestFactory().post("/form/", data or {})
    request.LANGUAGE_CODE = lang
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    return request


def _shown(request):
    return [(m.level, m.message) for m in request._messages]


def test_a_service_error_is_its_message_in_the_readers_language():
    exc = ServiceError("出错了", "it went wrong")
    assert error_texts(_request("zh"), exc) == ["出错了"]
    assert error_texts(_request("en"), exc) == ["it went wrong"]


def test_invalid_input_is_one_text_a_problem_naming_its_field():
    assert error_texts(_request("zh"), TWO_PROBLEMS) == ["name: 必填", "第3行 area: 须为数字"]
    assert error_texts(_request("en"), TWO_PROBLEMS) == ["name: required", "row 3: area: must be a number"]


def test_show_errors_puts_each_text_in_an_error_message():
    request = _request("en")
    show_errors(request, TWO_PROBLEMS)
    assert _shown(request) == [(messages.ERROR, "name: required"), (messages.ERROR, "row 3: area: must be a number")]


def test_a_write_that_succeeds_returns_to_its_page_saying_done():
    seen = []
    request = _request("zh", {"x": "1"})
    resp = write_then_redirect(request, "/back/", lambda actor, post: seen.append((actor, post["x"])))
    assert resp.status_code == 302 and resp["Location"] == "/back/"
    assert seen == [(PUBLIC_ACTOR, "1")]
    assert _shown(request) == [(messages.SUCCESS, "已办理 / done")]


@pytest.mark.parametrize(
    ("exc", "lang", "texts"),
    [
        (TWO_PROBLEMS, "zh", ["name: 必填", "第3行 area: 须为数字"]),
        (Forbidden(), "en", ["You are not allowed to do this"]),  # a refusal is a message, not a 403
    ],
)
def test_a_write_that_fails_returns_to_its_page_with_the_errors(exc, lang, texts):
    def write(actor, post):
        raise exc

    request = _request(lang)
    resp = write_then_redirect(request, "/back/", write)
    assert resp.status_code == 302 and resp["Location"] == "/back/"
    assert _shown(request) == [(messages.ERROR, t) for t in texts]


def test_a_write_on_a_missing_record_is_a_404():
    def write(actor, post):
        raise NotFound()

    with pytest.raises(Http404):
        write_then_redirect(_request(), "/back/", write)


class _Made:
    pk = 7


def test_to_made_goes_to_what_the_write_made_and_back_when_it_made_nothing():
    def to_made(made):
        return f"/things/{made.pk}/"

    made = write_then_redirect(_request(), "/back/", lambda a, p: _Made(), to_made=to_made)
    assert made["Location"] == "/things/7/"
    assert write_then_redirect(_request(), "/back/", lambda a, p: None, to_made=to_made)["Location"] == "/back/"

    def fails(actor, post):
        raise ServiceError("不行", "no")

    assert write_then_redirect(_request(), "/back/", fails, to_made=to_made)["Location"] == "/back/"

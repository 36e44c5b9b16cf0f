"""What a portal form does with a service write: the errors as text in the reader's language, and the
post-write-redirect every domain's form buttons share, so that each domain does not keep its own copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseRedirect

from kuangzheng.access.actor import Actor
from kuangzheng.access.http import language, page_actor
from kuangzheng.errors import InvalidInput, NotFound, ServiceError

DONE = "已办理 / done"


def error_texts(request: HttpRequest, exc: ServiceError) -> list[str]:
    """The error as the reader sees it: one text a field problem (so each names its field), else the message."""
    lang = language(request)
    if isinstance(exc, InvalidInput):
        return [p.text(lang) for p in exc.problems]
    return [exc.zh if lang == "zh" else exc.en]


def show_errors(request: HttpRequest, exc: ServiceError) -> None:
    """The error's texts as messages on the next page shown."""
    for text in error_texts(request, exc):
        messages.error(request, text)


def write_then_redirect(
    request: HttpRequest,
    back: str,
    write: Callable[[Actor, Any], Any],
    to_made: Callable[[Any], str] | None = None,
) -> HttpResponseRedirect:
    """Run one service write with the page's actor and the posted form, then return to `back`: on
    success with "done", else with the errors as messages (a refusal too: never a 500), except an
    unknown or out-of-scope record, which is a 404. `to_made` names the page of what the write
    returned, for a success that made something (when it returned None, `back` is kept)."""
    try:
        made = write(page_actor(request), request.POST)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        show_errors(request, exc)
        return HttpResponseRedirect(back)
    messages.success(request, DONE)
    return HttpResponseRedirect(to_made(made) if to_made is not None and made is not None else back)

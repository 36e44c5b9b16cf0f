from django.utils import translation


class LanguageMiddleware:
    """Chinese first: the language is Simplified Chinese unless the user chose English with the
    switch (a cookie). The browser's Accept-Language is deliberately ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = "en" if request.COOKIES.get("django_language") == "en" else "zh-hans"
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response


RETRY_AFTER_S = 5  # a chunk of an import holds the write lock for about a tenth of a second
BUSY_SQLSTATES = {"55P03", "40P01", "40001"}  # lock not available (lock_timeout), deadlock, serialization


def database_busy(exc: BaseException | None) -> bool:
    """Whether an exception means the database is busy, not broken: SQLite's 'database is locked'
    after its busy timeout, PostgreSQL's lock timeout, deadlock or serialization failure."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def busy_response(request):
    """503 with Retry-After: JSON for the API, a short page (Chinese first) for the portal."""
    from django.http import HttpResponse, JsonResponse

    zh, en = "系统繁忙（数据库正被占用），请稍后重试", "The database is busy; please retry shortly"
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": "DatabaseBusy", "message_zh": zh, "message_en": en},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>503</title><p>{zh}</p><p lang="en">{en}</p>',
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


class DatabaseBusyMiddleware:
    """A busy database answers 503 with Retry-After, never 500. Views' exceptions arrive here; those
    raised while other middleware saves the session arrive at `server_error` (the 500 handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        return busy_response(request) if database_busy(exc) else None


def server_error(request, *args, **kwargs):
    """The 500 handler: 503 when the exception being handled is a busy database."""
    import sys

    from django.views.defaults import server_error as default

    if database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return default(request, *args, **kwargs)

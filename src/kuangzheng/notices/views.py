"""The public notice board: a page, one page per notice. Server-rendered, no script."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from kuangzheng.errors import InvalidInput, NotFound

from . import services
from .core.kinds import kinds

PAGE = 50


def board(request):
    kind = request.GET.get("kind") or None
    division = request.GET.get("division") or None
    try:
        rows = services.board(kind=kind, division=division)
        problems = []
    except InvalidInput as e:
        rows, problems = services.board(), e.problems
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/board.html",
        {
            "nav": "public-notices",
            "page": page,
            "notices": [services.as_dict(n) for n in page.object_list],
            "kinds": kinds(),
            "kind": kind or "",
            "division": division or "",
            "problems": problems,
        },
    )


def detail(request, pk):
    try:
        n = services.get(pk)
    except NotFound:
        raise Http404 from None
    return render(request, "notices/detail.html", {"nav": "public-notices", "n": services.as_dict(n)})

"""The portal's shell pages: the map, signing in and out, the language switch. Each domain serves its
own pages (registry, compliance, monitoring) under the same base template."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from kuangzheng.disclosure import opendata
from kuangzheng.policy.catalogue import JURISDICTION_INFO


def map_view(request):
    """The map of the deployment's jurisdiction (KZ_JURISDICTION): its province's divisions and records."""
    prefix = settings.PROVINCE_PREFIX
    context = {
        "nav": "map",
        "jurisdiction": JURISDICTION_INFO[settings.JURISDICTION],
        "province": prefix + "0000" if prefix else "",
    }
    return render(request, "portal/map.html", context)


def set_language(request, code):
    nxt = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    resp = HttpResponseRedirect(nxt)
    resp.set_cookie("django_language", "en" if code == "en" else "zh-hans", max_age=365 * 86400, samesite="Lax")
    return resp


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True


def opendata_view(request):
    """The open-data page: the current build of every public layer; a rebuild is enqueued when the
    data changed since (the job runs in the caller under KZ_TASKS=immediate, else in the worker)."""
    stale = opendata.ensure_fresh()
    m = opendata.manifest()
    layers = []
    for key, layer in (m or {}).get("layers", {}).items():
        zh, en = opendata.TITLES[key]
        files = [
            {**f, "zh": opendata.FORMATS[f["format"]][0], "en": opendata.FORMATS[f["format"]][1]}
            for f in layer["files"]
        ]
        layers.append(
            {"key": key, "zh": zh, "en": en, "count": layer["count"], "files": files, "dictionary": layer["dictionary"]}
        )
    stale = stale and (m is None or m["version"] != opendata.version())
    context = {"nav": "open-data", "manifest": m, "layers": layers, "stale": stale}
    context["jurisdiction"] = JURISDICTION_INFO[settings.JURISDICTION]
    return render(request, "portal/opendata.html", context)


def opendata_file(request, name):
    path = opendata.file_path(name)
    if path is None or not path.is_file():
        raise Http404(name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)

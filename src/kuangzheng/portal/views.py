"""The portal's shell pages: the map, signing in and out, the language switch. Each domain serves its
own pages (registry, compliance, monitoring) under the same base template."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def map_view(request):
    return render(request, "portal/map.html", {"nav": "map"})


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

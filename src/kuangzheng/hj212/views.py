"""The online-monitoring dashboard: points on the map with their state, a live chart per point, the
alarm list and the capture rates. Data reaches the page through json_script and the API; the script
is a static file (no inline script)."""

from __future__ import annotations

from django.shortcuts import render

from kuangzheng.access.http import page_actor

from . import alarms, services


def dashboard(request):
    actor = page_actor(request)
    points = services.points(actor)
    rates = alarms.capture_rates(list(services.scoped(actor)))
    for p in points:
        p["capture"] = rates.get(p["id"], {})
    return render(
        request,
        "hj212/dashboard.html",
        {
            "nav": "hj212",
            "points": points,
            "alarms": services.alarms(actor),
            "boot": {"points": points, "refresh_ms": 5000},
        },
    )

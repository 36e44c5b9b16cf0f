"""The public page that publishes the latest signed checkpoint of the audit chain."""

from __future__ import annotations

from django.shortcuts import render

from kuangzheng.audit import anchor


def checkpoint_page(request):
    return render(request, "audit/checkpoint.html", {"checkpoint": anchor.latest(), "key": anchor.public_key_info()})

"""The registry's records as the audit log last saw them: `kz audit verify` compares these snapshots
of the current rows with the snapshots the log holds (registered with `audit.state` at start-up)."""

from __future__ import annotations

from functools import partial

from kuangzheng.audit import state

from . import services


def current(name: str):
    for obj in services.entity(name).model.objects.order_by("pk").iterator(chunk_size=2000):
        yield str(obj.pk), services.snapshot(name, obj)


def register() -> None:
    for name in services.ENTITIES:
        state.register(name, partial(current, name))

"""The daily supervision job as a task of Django's tasks framework (the django-tasks backport).

Embedded default (KZ_TASKS=immediate): `kz serve` enqueues it once at start and then every day after
midnight, and the immediate backend runs it in that thread, so nothing else needs setting up.
At scale (KZ_TASKS=db): the same enqueue writes a row, and `kz worker` (django-tasks-db's worker)
runs it; `kz supervise daily` runs it by hand or from a system timer."""

from __future__ import annotations

import datetime as dt
import threading

from django_tasks import task


@task()
def daily(on: str | None = None) -> dict:
    from .alerts import run_daily

    return run_daily(dt.date.fromisoformat(on) if on else dt.date.today())


def start_daily_timer() -> threading.Thread:
    """A daemon thread in the server process: enqueue the job now, then after each midnight."""

    def loop() -> None:
        import time

        from django.db import close_old_connections

        while True:
            try:
                daily.enqueue()
            except Exception as exc:  # the server keeps serving; the next day tries again
                import logging

                logging.getLogger(__name__).exception("daily supervision job failed: %s", exc)
            finally:
                close_old_connections()
            now = dt.datetime.now()
            tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 5))
            time.sleep((tomorrow - now).total_seconds())

    t = threading.Thread(target=loop, name="kz-supervision-daily", daemon=True)
    t.start()
    return t

"""A writer process for the backup tests: creates and updates enterprises through the service layer
until a stop file appears, and appends each committed enterprise's id to a log (after the commit)."""

import os
import sys
import time
from pathlib import Path


def main(log: str, stop: str, prefix: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    django.setup()
    from kuangzheng.registry import services
    from tests.support.registry import ADMIN

    with open(log, "a", encoding="utf-8") as out:
        i = 0
        while not Path(stop).exists():
            e = services.create(ADMIN, "enterprise", {"name": f"{prefix}-{i}", "division": "150200"})
            services.update(ADMIN, "enterprise", e.pk, {"address": f"地址 {i}"}, e.version)
            out.write(f"{e.pk}\n")
            out.flush()
            i += 1
            time.sleep(0.005)


def seed() -> None:
    """The division the writers' enterprises lie in (no boundary needed for enterprises)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    django.setup()
    from kuangzheng.registry.models import Division

    Division.objects.create(code="150000", name_zh="内蒙古自治区", level="province")
    Division.objects.create(code="150200", name_zh="包头市", level="prefecture", parent_id="150000")


def backup_now(dest: str, before: str, *logs: str) -> None:
    """Note which records are committed, then back up at once: what `kz backup` does, with the moment
    it starts known to the test (a command's start-up would blur it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    django.setup()
    from django.db import connection

    from kuangzheng import backup

    connection.ensure_connection()
    committed = [line for log in logs if Path(log).exists() for line in Path(log).read_text().split()]
    backup.backup(Path(dest))
    Path(before).write_text("\n".join(committed))


if __name__ == "__main__":
    {"seed": lambda: seed(), "backup": lambda: backup_now(*sys.argv[2:])}.get(
        sys.argv[1], lambda: main(*sys.argv[1:4])
    )()

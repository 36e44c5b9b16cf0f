"""Start-up shared by every `kz` command group: Django set up against the configured database, the
progress bar. Domain command groups import these; nothing here knows a domain."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


def setup_django() -> None:
    """Configure Django, create the data folder, and fail clearly when the database is unreachable."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    try:
        from django.conf import settings

        django.setup()
    except RuntimeError as exc:  # settings refuse a DATABASE_URL they cannot use
        raise click.ClickException(str(exc)) from None
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    check_database()


def check_database() -> None:
    """Fail early, and clearly, when the configured database cannot be reached."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        s = connection.settings_dict
        where = (
            s["NAME"]
            if connection.vendor == "sqlite"
            else f"{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s['NAME']}"
        )
        raise click.ClickException(
            f"无法连接数据库 {where}（DATABASE_URL）/ cannot connect to the database {where} (DATABASE_URL): "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}"
        ) from None


def progress(total: int):
    """A callable that advances a progress bar on standard error (hidden below 200 rows)."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit="row", file=sys.stderr, disable=total < 200)
    return lambda n=1: bar.update(n)

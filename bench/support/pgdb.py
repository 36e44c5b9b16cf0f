"""A benchmark's own PostgreSQL database: made empty on the server of DATABASE_URL, dropped after."""

from __future__ import annotations

import os


def _admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def fresh_postgres(url: str, prefix: str) -> tuple[str, str]:
    """(url of a new empty database on the same server, its name)."""
    name = f"kz_bench_{prefix}_{os.getpid()}"
    with _admin(url) as conn:
        conn.execute(f"drop database if exists {name}")
        conn.execute(f"create database {name}")
    return url.rsplit("/", 1)[0] + "/" + name, name


def drop_postgres(url: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    with _admin(url) as conn:
        conn.execute(f"drop database if exists {name}")

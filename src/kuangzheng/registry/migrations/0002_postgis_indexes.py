"""On PostgreSQL with PostGIS available: enable it and index the WKB boundaries spatially, so
spatial queries can be pushed down. On SQLite (or PostgreSQL without PostGIS) this does nothing."""

from django.db import migrations

TABLES = ["registry_mineralright", "registry_zone", "registry_division"]


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        cur.execute("select 1 from pg_available_extensions where name = 'postgis'")
        if cur.fetchone() is None:
            return
        cur.execute("create extension if not exists postgis")
        for t in TABLES:
            cur.execute(
                f"create index if not exists {t}_boundary_gist on {t} "
                f"using gist (st_geomfromwkb(boundary, 4490)) where boundary is not null"
            )


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        for t in TABLES:
            cur.execute(f"drop index if exists {t}_boundary_gist")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

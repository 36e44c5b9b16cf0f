"""The models and their migrations agree, so a database made by an earlier version migrates without
surprises (scripts/migration-drill proves it on a real earlier database)."""

import io

from django.core.management import call_command


def test_models_need_no_new_migration(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero on a change
    assert "No changes detected" in out.getvalue()

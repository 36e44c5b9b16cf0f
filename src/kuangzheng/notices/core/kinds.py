"""The kinds of public notice, read from kinds.yaml (data, one block per domain)."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

KINDS_FILE = Path(__file__).resolve().parent.parent / "kinds.yaml"


@functools.cache
def kinds() -> dict[str, dict]:
    data = yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8")) or {}
    for key, kind in data.items():
        missing = {"zh", "en", "basis"} - set(kind)
        if missing:
            raise ValueError(f"{KINDS_FILE.name}: kind {key!r} lacks {sorted(missing)}")
    return data

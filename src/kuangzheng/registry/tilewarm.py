"""The map's opening view built ahead: when the data version changes, a background job (django-tasks)
builds the public's tiles of the jurisdiction's extent at the zoom levels a screen opens it at, into
the tile store (tiles.store), so the first visitor after a change does not wait for their encoding.

Embedded default (KZ_TASKS=immediate): `kz serve` starts a watcher thread that enqueues the job when
it sees a new data version, and the immediate backend runs it in that thread. At scale (KZ_TASKS=db):
the same enqueue writes a row and `kz worker` runs it; the store is on disk, so the server reads what
the worker built. Tiles are keyed by scope view, not by user: the public's view is built first (most
first visitors), then the administrators' and each regulator division's that active staff users have
(access.users.staff_views: every regulator of a division shares one view). An enterprise user's
tiles are built on request (one view per enterprise). The watcher polls the data version every
POLL_SECONDS (one small query), so a build starts within that time of a write.
"""

from __future__ import annotations

import logging
import math
import shutil
import threading
import time

from django.conf import settings
from django_tasks import task

from kuangzheng.access.actor import PUBLIC_ACTOR
from kuangzheng.access.users import staff_views

from . import tiles
from .geojson import data_version
from .models import Division

SCREEN_PX = (128, 2560)  # a zoom opens the extent when its longer side spans this many pixels
TILE_PX = 256  # Leaflet's tile size
POLL_SECONDS = 0.5
KEEP_VERSIONS = 2  # folders of the store kept: this version's and the one before (a reader may be on it)
_log = logging.getLogger(__name__)


def division() -> str:
    """The division the portal map opens on (its `division` parameter): the deployment's province."""
    prefix = settings.PROVINCE_PREFIX
    return prefix + "0000" if prefix else ""


def extent(code: str) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of what the map fits on opening: the province's
    prefectures (all provinces without one), else the division itself."""
    rows = (
        Division.objects.filter(parent_id=code, level="prefecture")
        if code
        else Division.objects.filter(level="province")
    )
    boxes = [b for b in rows.values_list("min_lon", "min_lat", "max_lon", "max_lat") if None not in b]
    if not boxes and code:
        boxes = [
            b
            for b in Division.objects.filter(code=code).values_list("min_lon", "min_lat", "max_lon", "max_lat")
            if None not in b
        ]
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _tile_xy(lon: float, lat: float, z: int) -> tuple[float, float]:
    lat = max(-85.05, min(85.05, lat))
    n = 2**z
    return (lon + 180) / 360 * n, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n


def opening_tiles(box: tuple[float, float, float, float]) -> list[tuple[int, int, int]]:
    """The tiles covering `box` at every zoom where its longer side spans SCREEN_PX pixels."""
    out = []
    for z in range(tiles.MAX_ZOOM + 1):
        (x0, y0), (x1, y1) = _tile_xy(box[0], box[3], z), _tile_xy(box[2], box[1], z)
        if not SCREEN_PX[0] <= max(x1 - x0, y1 - y0) * TILE_PX <= SCREEN_PX[1]:
            continue
        last = 2**z - 1
        out += [
            (z, x, y)
            for x in range(max(0, int(x0)), min(last, int(x1)) + 1)
            for y in range(max(0, int(y0)), min(last, int(y1)) + 1)
        ]
    return out


@task()
def warm(wanted: str = "") -> int:
    """Build the opening-view tiles of the current data version for the public, then for the staff's
    scope views; returns how many tiles. Stops early when the data changes meanwhile (the next
    version's job builds those)."""
    version, code = data_version(), division()
    if wanted and repr(version) != wanted:
        return 0
    box = extent(code)
    if box is None:
        return 0
    built = 0
    for actor in [PUBLIC_ACTOR, *staff_views()]:
        for z, x, y in opening_tiles(box):
            if data_version() != version:
                return built
            if not tiles.stored(actor, z, x, y, code, version):  # another process built it already
                tiles.store(actor, z, x, y, code, version)
            built += 1
        for entity in tiles.ENTITY.values():  # the counts and the in-view list of a new process need them
            tiles.save_index(actor, entity, code, version)
    _prune(tiles.version_folder(version).name)
    return built


def _prune(current: str) -> None:
    """Keep this version's folder and the one before (a reader may be on it)."""
    root = tiles.store_root()
    folders = sorted((d for d in root.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime, reverse=True)
    keep = {current, *[d.name for d in folders if d.name != current][: KEEP_VERSIONS - 1]}
    for d in folders:
        if d.name not in keep:
            shutil.rmtree(d, ignore_errors=True)


def start_watcher() -> threading.Thread:
    """A daemon thread in the server process: enqueue `warm` for each new data version it sees."""

    def loop() -> None:
        from django.db import close_old_connections

        seen = None
        while True:
            try:
                version = repr(data_version())
                if version != seen:
                    seen = version
                    warm.enqueue(version)
            except Exception as exc:  # the server keeps serving; the next version tries again
                _log.exception("building the map's opening tiles failed: %s", exc)
            finally:
                close_old_connections()
            time.sleep(POLL_SECONDS)

    t = threading.Thread(target=loop, name="kz-map-warm", daemon=True)
    t.start()
    return t

"""CGCS2000 Gauss–Krüger zones and transforms to and from geographic EPSG:4490.

Axis order: EPSG:4491–4554 are declared northing-first (X = northing, Y = easting) and EPSG:4490
latitude-first. Every transformer here is built with ``always_xy=True`` and every function takes
and returns (easting, northing) / (lon, lat) explicitly named, so the declared order never leaks in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import CRS, Transformer

GEOGRAPHIC_EPSG = 4490
SIX_DEGREE_ZONES = range(13, 24)  # CM 75E..135E, the zones covering China
THREE_DEGREE_ZONES = range(25, 46)


@dataclass(frozen=True)
class Zone:
    """A Gauss–Krüger zone: width 3 or 6 degrees, number, and whether eastings carry the prefix."""

    width: int
    number: int
    prefixed: bool = True

    @property
    def central_meridian(self) -> float:
        return float(self.number * 3 if self.width == 3 else self.number * 6 - 3)

    @property
    def epsg(self) -> int:
        if self.width == 6:
            return (4491 if self.prefixed else 4502) + self.number - 13
        return (4513 if self.prefixed else 4534) + self.number - 25

    @property
    def false_easting(self) -> float:
        return self.number * 1_000_000 + 500_000.0 if self.prefixed else 500_000.0

    def unprefixed(self) -> Zone:
        return Zone(self.width, self.number, False)

    def label(self) -> str:
        return f"{self.width}°带{self.number} / {self.width}° zone {self.number}"


def zone_from_number(number: int, prefixed: bool = True) -> Zone:
    """The zone whose number is ``number``: 13–23 are 6° zones, 25–45 are 3° zones (China)."""
    if number in SIX_DEGREE_ZONES:
        return Zone(6, number, prefixed)
    if number in THREE_DEGREE_ZONES:
        return Zone(3, number, prefixed)
    raise ValueError(
        f"带号{number}不在中国范围（6°带13–23，3°带25–45） / "
        f"zone number {number} is outside China's range (6° zones 13–23, 3° zones 25–45)"
    )


def zone_from_central_meridian(cm: float, width: int | None = None, prefixed: bool = False) -> Zone:
    """The zone of a stated central meridian. A CM that is a 6° centre (…, 111, 117, …) is also a
    3° centre, so ``width`` decides; without it a 3° zone is assumed (the usual choice for the
    large-scale maps of mineral rights)."""
    if width not in (None, 3, 6):
        raise ValueError(f"带宽只能是3或6 / zone width must be 3 or 6, got {width}")
    if width in (None, 3) and cm % 3 == 0 and (cm // 3) in THREE_DEGREE_ZONES:
        return Zone(3, int(cm // 3), prefixed)
    if width in (None, 6) and (cm + 3) % 6 == 0 and ((cm + 3) // 6) in SIX_DEGREE_ZONES:
        return Zone(6, int((cm + 3) // 6), prefixed)
    raise ValueError(
        f"中央经线{cm:g}°不是中国境内{width or 3}°带的中央经线 / "
        f"central meridian {cm:g} is not a {width or 3}° zone centre in China"
    )


def zone_of_easting(y: float) -> int | None:
    """The zone number prefixed to an easting (8 digits before the point), or None (6 digits)."""
    whole = int(abs(y))
    if 10_000_000 <= whole < 100_000_000:
        return whole // 1_000_000
    return None


def zone_for_longitude(lon: float, width: int = 3, prefixed: bool = True) -> Zone:
    """The zone a longitude falls in, for writing geographic coordinates as corner points."""
    number = int(np.floor(lon / 3 + 0.5)) if width == 3 else int(np.floor(lon / 6)) + 1
    return zone_from_number(number, prefixed)


@lru_cache(maxsize=256)
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(CRS.from_epsg(src), CRS.from_epsg(dst), always_xy=True)


def gk_to_lonlat(zone: Zone, easting, northing):
    """Inverse projection: GK (easting Y, northing X) in ``zone`` → (lon, lat) in EPSG:4490."""
    return _transformer(zone.epsg, GEOGRAPHIC_EPSG).transform(
        np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
    )


def lonlat_to_gk(zone: Zone, lon, lat):
    """Forward projection: (lon, lat) in EPSG:4490 → GK (easting Y, northing X) in ``zone``."""
    return _transformer(GEOGRAPHIC_EPSG, zone.epsg).transform(
        np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    )


def to_lonlat_transform(epsg: int):
    """A vectorised (x, y) → (lon, lat) function from any CRS to EPSG:4490, for shapely.transform."""
    tr = _transformer(epsg, GEOGRAPHIC_EPSG)

    def apply(coords):
        lon, lat = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return apply

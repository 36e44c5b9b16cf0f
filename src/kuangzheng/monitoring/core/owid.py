"""China's national annual production series from the shipped OWID copy
(data/owid-metal-production/, see SOURCE.txt there).

Values are as published: thousand tonnes (gold: tonnes). The file writes gaps as 0 (China's
copper mine output is 0 for 1950–2012 there, which is a gap, not a fact), so a 0 is read as
missing. Clio-Infra supplies the years to 2012, USGS the years from 2013: the join is a
possible break in definition (lead and zinc jump by 60–70 % across it).
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources

import numpy as np

DATA = "data/owid-metal-production"
METAL_FILE = "metal_production_clio_infra_usgs.csv"
METAL_PACKAGE = "metal_production_clio_infra_usgs.datapackage.json"
SOURCE_SWITCH_YEAR = 2013  # first year taken from USGS


@lru_cache(maxsize=4)
def china_production(entity: str = "China") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """metal (lower case, e.g. "aluminium") → (years, values in kt), gaps and zeros removed."""
    path = resources.files(__package__).joinpath(DATA, METAL_FILE)
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [r for r in reader if r and r[0] == entity]
    out = {}
    for j, name in enumerate(header[2:], start=2):
        metal = name.split(" Production")[0].lower()
        pairs = [(int(r[1]), float(r[j])) for r in rows if r[j].strip() and float(r[j]) > 0]
        pairs.sort()
        out[metal] = (np.array([p[0] for p in pairs], int), np.array([p[1] for p in pairs], float))
    return out


def window(metal: str, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """The metal's values for first..last, keeping only an unbroken run of years ending at ``last``
    (or at the last year present before it)."""
    years, values = china_production()[metal]
    keep = (years >= first) & (years <= last)
    yr, val = years[keep], values[keep]
    if len(yr) == 0:
        return yr, val
    gaps = np.flatnonzero(np.diff(yr) != 1)
    start = gaps[-1] + 1 if len(gaps) else 0
    return yr[start:], val[start:]


@lru_cache(maxsize=1)
def measures() -> dict[str, str]:
    """metal → what the series measures, from the datapackage's column descriptions
    (e.g. "Copper mine production (copper content)")."""
    path = resources.files(__package__).joinpath(DATA, METAL_PACKAGE)
    fields = json.loads(path.read_text("utf-8"))["resources"][0]["schema"]["fields"]
    return {
        f["name"].split(" Production")[0].lower(): f["description"].split(" measured in")[0]
        for f in fields
        if "Production" in f["name"]
    }

"""Filing a new mining right as the demo holder would, through `kz application import` (browser tests
that need an application of the holder's: its automatic checks, its standing verdicts)."""

import json
import subprocess
import sys
from pathlib import Path

from shapely.geometry import box

from kuangzheng.geo import from_lonlat, write

ROOT = Path(__file__).resolve().parents[2]
KZ = str(Path(sys.executable).with_name("kz"))


def mining_record(**kw) -> dict:
    """A new mining right's record in Baotou (150200), as the applications tests file it; `kw` overrides."""
    rec = {
        "name": "包头甲铜矿新立",
        "division": "150200",
        "minerals": ["铜"],
        "valid_from": "2026-01-01",
        "valid_to": "2036-01-01",
        "obtained_by": "application",
        "designed_scale": 30,
        "designed_scale_unit": "10^4 t/a",
        "elevation_top": 1200,
        "elevation_bottom": 800,
    }
    rec.update(kw)
    return rec


def file_new_mining(env, tmp_path, name: str, west: float, south: float, as_user: str = "qiye") -> int:
    """A 0.01° square parcel at (west, south) in Baotou (150200); returns the application's id."""
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4\n% a test document\n")
    corners = write(from_lonlat(box(west, south, west + 0.01, south + 0.01), decimals=5)).decode("utf-8")
    record = mining_record(name=name)
    docs = {item: "doc.pdf" for item in ("application_form", "development_plan", "restoration_plan")}
    batch = tmp_path / "batch.json"
    batch.write_text(
        json.dumps([{"kind": "new_mining", "record": record, "corner_points": corners, "documents": docs}]), "utf-8"
    )
    r = subprocess.run(
        [KZ, "application", "import", str(batch), "--as", as_user],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["filed"][0]

"""Demo monitoring points for `kz init --demo`: a few flue-gas and wastewater points on demo
facilities, flagged `is_generated`. Their limits and capture-rate thresholds are EXAMPLES for the
demo (labelled so on every page): the real values come from each facility's discharge permit or the
emission standard it names, which the regulator enters."""

from __future__ import annotations

import random

from kuangzheng.access.actor import Actor
from kuangzheng.registry import services as registry

from . import services

LOADER = Actor(username="demo-loader", role="admin")
GENERATED = "演示生成监测点（非真实设备） generated demo monitoring point, not a real device"
EXAMPLE = "示例限值，仅供演示；实际限值以排污许可证及其载明的排放标准为准 / example limit for the demo"
# (medium, name, reference O₂, example limits: code -> (value, basis))
POINTS = [
    (
        "air",
        "1号烟囱（演示）",
        6.0,
        {"a21026": (100.0, "converted"), "a21002": (100.0, "converted"), "a34013": (10.0, "converted")},
    ),
    ("air", "2号烟囱（演示）", 6.0, {"a21026": (100.0, "converted"), "a20043": (0.5, "converted")}),
    (
        "water",
        "总排口（演示）",
        None,
        {"w01018": (60.0, "measured"), "w21003": (8.0, "measured"), "w20120": (200.0, "measured")},
    ),
    ("air", "3号烟囱（演示）", 6.0, {"a21026": (100.0, "converted")}),
]


def load() -> dict:
    facilities = list(
        registry.scoped(LOADER, "facility")
        .filter(division__code__startswith="15", kind__in=["smelter", "concentrator"], lon__isnull=False)
        .order_by("pk")[: len(POINTS)]
    )
    if not facilities:
        return {"hj212_points": 0}
    rng = random.Random(212)
    made = 0
    for n, (medium, name, o2, limits) in enumerate(POINTS):
        fac = facilities[n % len(facilities)]
        point = services.register_point(
            LOADER,
            {
                "facility": fac.pk,
                "mn": f"{rng.getrandbits(96):024X}",
                "password": "123456",
                "name": name,
                "medium": medium,
                "reference_o2": o2,
                "rtd_interval": 30,
                "silence_allowed": 90,
                "capture_threshold": 0.9,
                "capture_source": "示例阈值，仅供演示 / example threshold for the demo",
            },
            generated=True,
            source=GENERATED,
        )
        for code, (value, basis) in limits.items():
            services.set_limit(
                LOADER, point.pk, {"code": code, "value": value, "basis": basis, "source": EXAMPLE, "is_example": True}
            )
        made += 1
    return {"hj212_points": made}

"""What a notice must carry before it goes on the board: every problem named by field, zh + en."""

from __future__ import annotations

import re

from kuangzheng.errors import FieldProblem

from .kinds import kinds

SOURCE = re.compile(r"^[a-z_]+\.[A-Za-z]+:[A-Za-z0-9_-]{1,40}$")
DIVISION = re.compile(r"^\d{2}(\d{2}){0,2}$")
TITLE_MAX, BODY_MAX = 300, 20_000


def problems(*, kind, source, division, title_zh, title_en, body_zh, body_en, url, location) -> list[FieldProblem]:
    out = []
    if kind not in kinds():
        out.append(FieldProblem("kind", f"未知的公告类别「{kind}」", f"unknown kind of notice {kind!r}"))
    if not isinstance(source, str) or not SOURCE.match(source):
        out.append(
            FieldProblem(
                "source",
                "公告来源须写作「应用.记录:编号」，如 supervision.Case:42",
                "the source is written app.Record:id, e.g. supervision.Case:42",
            )
        )
    if not isinstance(division, str) or not DIVISION.match(division):
        out.append(FieldProblem("division", "行政区划代码须为2、4或6位数字", "the division code has 2, 4 or 6 digits"))
    for field, text, limit in (
        ("title_zh", title_zh, TITLE_MAX),
        ("title_en", title_en, TITLE_MAX),
        ("body_zh", body_zh, BODY_MAX),
        ("body_en", body_en, BODY_MAX),
    ):
        if not isinstance(text, str) or not text.strip():
            out.append(FieldProblem(field, "不能为空", "is required"))
        elif len(text) > limit:
            out.append(FieldProblem(field, f"不能超过{limit}字", f"at most {limit} characters"))
    # A notice links only inside the site: no scheme, no host, so it can never point a reader elsewhere.
    if url and (not isinstance(url, str) or not url.startswith("/") or url.startswith("//") or len(url) > 300):
        out.append(
            FieldProblem(
                "url", "链接须为本站路径（以 / 开头）", "the link must be a path on this site (starting with /)"
            )
        )
    if location is not None:
        try:
            lon, lat = (float(v) for v in location)
            ok = -180 <= lon <= 180 and -90 <= lat <= 90
        except (TypeError, ValueError):
            ok = False
        if not ok:
            out.append(FieldProblem("location", "位置须为（经度, 纬度）", "the location is (longitude, latitude)"))
    return out

"""Corner-point text (拐点坐标): parse and write, byte-for-byte stable.

Three layouts (full grammar in docs/geo.md):

* ``numbered`` — optional header lines (``key=value`` lines become metadata), then one point a line
  ``点号,X,Y`` (separator comma, full-width comma, tab or spaces). A line whose first field is
  ``标高`` or ``*`` closes the ring before it: ``标高,top,bottom,块号,类型`` where 类型 ``-1`` marks an
  excluded ring (hole) of that block. Points after the last closing line form one more ring.
* ``keyvalue`` — the application file: ``[section]`` lines, ``key=value`` metadata,
  ``XY001=点号,X,Y`` points and ``BG001=top,bottom,块号,类型`` closing lines.
* ``table`` — a header row naming the columns (点号, X, Y and optionally 块号, 类型), one point a row.

X is the northing (7 digits before the point), Y the easting (8 digits with the zone number
prefixed, or 6 without). Encodings UTF-8 (with or without BOM) and GBK; the writer keeps the
encoding, BOM, line ending, separator, number of decimals and every non-coordinate line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .problems import GeoError, Problem

CLOSERS = ("标高", "*")
_SECTION = re.compile(r"^\s*\[(.+)\]\s*$")
_KV = re.compile(r"^\s*([^=：:]+?)\s*[=＝]\s*(.*?)\s*$")
_POINT_KEY = re.compile(r"^XY\d+$", re.I)
_CLOSE_KEY = re.compile(r"^(BG|标高)\d*$", re.I)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
TABLE_COLUMNS = {
    "label": ("点号", "点名", "序号", "拐点号"),
    "x": ("x", "x坐标", "北坐标", "纵坐标"),
    "y": ("y", "y坐标", "东坐标", "横坐标"),
    "block": ("块号", "区块", "区块号"),
    "kind": ("类型", "圈类型"),
}


@dataclass
class CornerPoint:
    label: str
    x: float  # northing (m)
    y: float  # easting (m) as written, zone number prefixed or not
    line: int | None = None


@dataclass
class Ring:
    points: list[CornerPoint]
    block: int
    hole: bool = False
    closer: list[str] | None = None  # fields of the closing line after its marker, verbatim
    marker: str = "标高"
    line: int | None = None

    @property
    def elevation(self) -> tuple[float | None, float | None]:
        """(top, bottom) in metres from the closing line, None where not stated."""
        vals = [(float(v) if _NUMBER.match(v.strip()) else None) for v in (self.closer or [])[:2]]
        return tuple((vals + [None, None])[:2])


@dataclass
class Boundary:
    """A mineral right's boundary as corner points: rings grouped in blocks, plus file metadata."""

    rings: list[Ring]
    layout: str = "numbered"
    metadata: dict[str, str] = field(default_factory=dict)
    template: list[tuple] = field(default_factory=list)  # ('raw', text) | ('kv', key) | ('coords',)
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    separator: str = ","
    decimals: int = 2
    columns: list[str] | None = None  # table layout: column roles in file order

    def blocks(self) -> dict[int, list[Ring]]:
        out: dict[int, list[Ring]] = {}
        for ring in self.rings:
            out.setdefault(ring.block, []).append(ring)
        return out

    def point_count(self) -> int:
        return sum(len(r.points) for r in self.rings)


# ---------------------------------------------------------------- decoding


def decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, bom): UTF-8 if it decodes, else GBK."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gbk"), "gbk", False
    except UnicodeDecodeError as exc:
        raise GeoError(
            [Problem("encoding", "文件既不是UTF-8也不是GBK编码", "file is neither UTF-8 nor GBK encoded", row=None)]
        ) from exc


def _split(line: str, sep: str) -> list[str]:
    if sep == " ":
        return line.split()
    return [f.strip() for f in line.split(sep)]


def _separator(line: str) -> str:
    for sep in (",", "，", "\t"):
        if sep in line:
            return sep
    return " "


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _coordinate(label: str, xs: str, ys: str, row: int, problems: list[Problem]) -> CornerPoint | None:
    bad = []
    for name, text, digits in (("X", xs, (7,)), ("Y", ys, (6, 8))):
        if not _NUMBER.match(text):
            bad.append(
                Problem(
                    "bad_number",
                    f"{name}坐标“{text}”不是数字",
                    f"{name} coordinate '{text}' is not a number",
                    point=label,
                    row=row,
                )
            )
            continue
        whole = len(text.lstrip("+-").split(".")[0])
        if whole not in digits:
            want = "7" if name == "X" else "8（带号+6）或6"
            want_en = "7" if name == "X" else "8 (zone prefix + 6) or 6"
            bad.append(
                Problem(
                    "bad_digits",
                    f"{name}坐标整数部分应为{want}位，实为{whole}位",
                    f"{name} must have {want_en} digits before the point, has {whole}",
                    point=label,
                    row=row,
                )
            )
    problems.extend(bad)
    return None if bad else CornerPoint(label, float(xs), float(ys), row)


# ---------------------------------------------------------------- ring assembly


class _Rings:
    """Collects points into rings as closing lines arrive, numbering blocks as the format does."""

    def __init__(self):
        self.rings: list[Ring] = []
        self.pending: list[CornerPoint] = []
        self.start: int | None = None

    def point(self, p: CornerPoint):
        if not self.pending:
            self.start = p.line
        self.pending.append(p)

    def close(self, fields: list[str], marker: str, row: int, problems: list[Problem]):
        kind = fields[3].strip() if len(fields) > 3 else ""
        block = self._block(fields[2] if len(fields) > 2 else "", kind == "-1", row, problems)
        if kind not in ("", "1", "-1"):
            problems.append(
                Problem(
                    "bad_ring_kind",
                    f"圈类型“{kind}”应为1（外圈）或-1（扣除）",
                    f"ring kind '{kind}' must be 1 (shell) or -1 (excluded)",
                    row=row,
                )
            )
        if not self.pending:
            problems.append(
                Problem("empty_ring", "标高行前没有拐点", "closing line with no points before it", block=block, row=row)
            )
            return
        self.rings.append(Ring(self.pending, block, kind == "-1", fields, marker, self.start))
        self.pending = []

    def _block(self, text: str, hole: bool, row: int, problems: list[Problem]) -> int:
        """The stated block number, else the current block for a hole and the next for a shell."""
        text = text.strip()
        if text.isdigit():
            return int(text)
        if text:
            problems.append(
                Problem("bad_block", f"块号“{text}”不是整数", f"block number '{text}' is not an integer", row=row)
            )
        last = max((r.block for r in self.rings), default=0)
        return last if hole and last else last + 1

    def finish(self) -> list[Ring]:
        if self.pending:
            self.rings.append(
                Ring(self.pending, max((r.block for r in self.rings), default=0) + 1, False, None, "标高", self.start)
            )
        return self.rings


# ---------------------------------------------------------------- parsers


def _is_point_line(fields: list[str]) -> bool:
    """Looks like a point: three fields, X or Y numeric (a bad other coordinate is then reported,
    not taken for a header line)."""
    return len(fields) >= 3 and (bool(_NUMBER.match(fields[1])) or bool(_NUMBER.match(fields[2])))


def _parse_numbered(lines: list[str], b: Boundary, problems: list[Problem]):
    rings = _Rings()
    in_header = True
    for row, line in enumerate(lines, 1):
        if not line.strip():
            (b.template.append(("raw", line)) if in_header else None)
            continue
        sep = _separator(line)
        fields = _split(line, sep)
        if fields[0] in CLOSERS:
            in_header = False
            rings.close(fields[1:], fields[0], row, problems)
        elif _is_point_line(fields) or not in_header:
            if in_header:
                b.template.append(("coords",))
                b.separator, b.decimals, in_header = sep, _decimals(fields[1]), False
            if len(fields) < 3:
                problems.append(
                    Problem(
                        "bad_line", f"无法识别的行：“{line.strip()}”", f"unrecognised line: '{line.strip()}'", row=row
                    )
                )
                continue
            p = _coordinate(fields[0], fields[1], fields[2], row, problems)
            if p:
                rings.point(p)
        else:
            _header_line(b, line)
    b.rings = rings.finish()


def _header_line(b: Boundary, line: str) -> None:
    """A non-coordinate line: ``key=value`` becomes metadata, anything else is kept verbatim."""
    m = _KV.match(line)
    if m:
        b.metadata[m.group(1)] = m.group(2)
    b.template.append(("kv", m.group(1)) if m else ("raw", line))


def _parse_keyvalue(lines: list[str], b: Boundary, problems: list[Problem]):
    rings = _Rings()
    for row, line in enumerate(lines, 1):
        m = _KV.match(line)
        if _SECTION.match(line) or not line.strip() or not m:
            b.template.append(("raw", line))
            continue
        key, value = m.group(1), m.group(2)
        fields = [f.strip() for f in value.split(",")]
        if _POINT_KEY.match(key):
            if ("coords",) not in b.template:
                b.template.append(("coords",))
                b.decimals = _decimals(fields[1]) if len(fields) > 1 else 2
            if len(fields) < 3:
                problems.append(Problem("bad_line", f"{key}应为“点号,X,Y”", f"{key} must be 'label,X,Y'", row=row))
                continue
            p = _coordinate(fields[0], fields[1], fields[2], row, problems)
            if p:
                rings.point(p)
        elif _CLOSE_KEY.match(key):
            rings.close(fields, key.rstrip("0123456789"), row, problems)
        else:
            b.metadata[key] = value
            b.template.append(("kv", key))
    b.rings = rings.finish()


def _table_roles(fields: list[str]) -> list[str] | None:
    roles = []
    for f in fields:
        name = f.strip().lower()
        role = next((r for r, names in TABLE_COLUMNS.items() if name in names), None)
        roles.append(role or "")
    return roles if {"label", "x", "y"} <= set(roles) else None


def _parse_table(lines: list[str], b: Boundary, problems: list[Problem]):
    header_row = _table_header(lines)
    b.separator = _separator(lines[header_row])
    b.columns = _table_roles(_split(lines[header_row], b.separator))
    for line in lines[:header_row]:
        _header_line(b, line)
    b.template += [("raw", lines[header_row]), ("coords",)]
    groups: dict[tuple[int, bool], Ring] = {}
    for row, line in enumerate(lines[header_row + 1 :], header_row + 2):
        if not line.strip():
            continue
        cells = dict(zip(b.columns, _split(line, b.separator)))
        if len(cells) < 3:
            problems.append(Problem("bad_line", "列数不足", "too few columns", row=row))
            continue
        if not groups:
            b.decimals = _decimals(cells.get("x", ""))
        p = _coordinate(cells.get("label", ""), cells.get("x", ""), cells.get("y", ""), row, problems)
        block_text, kind = cells.get("block", "1") or "1", cells.get("kind", "1") or "1"
        if not block_text.isdigit() or kind not in ("1", "-1"):
            problems.append(
                Problem(
                    "bad_block",
                    f"块号“{block_text}”或类型“{kind}”无效",
                    f"invalid block number '{block_text}' or ring kind '{kind}'",
                    row=row,
                )
            )
            continue
        key = (int(block_text), kind == "-1")
        ring = groups.setdefault(key, Ring([], key[0], key[1], None, "", row))
        if p:
            ring.points.append(p)
    b.rings = list(groups.values())


def _table_header(lines: list[str]) -> int | None:
    """Index of the column-header row, if one comes before the first point line."""
    for i, line in enumerate(lines):
        fields = _split(line, _separator(line))
        if _table_roles(fields):
            return i
        if _is_point_line(fields):
            return None
    return None


def detect_layout(lines: list[str]) -> str:
    if any(_SECTION.match(line) or _POINT_KEY.match(line.split("=", 1)[0].strip()) for line in lines):
        return "keyvalue"
    has_closer = any(_split(line, _separator(line))[0] in CLOSERS for line in lines if line.strip())
    if _table_header(lines) is not None and not has_closer:
        return "table"
    return "numbered"


def parse(data: bytes | str) -> Boundary:
    """Parse corner-point text (bytes: encoding detected; str: taken as UTF-8).

    Raises GeoError listing every malformed line. Geometry checks are in ``validate``."""
    if isinstance(data, str):
        text, encoding, bom = data, "utf-8", False
    else:
        text, encoding, bom = decode(data)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if lines and lines[-1] == "":
        lines.pop()
    b = Boundary([], encoding=encoding, bom=bom, newline=newline)
    b.layout = detect_layout(lines)
    problems: list[Problem] = []
    {"numbered": _parse_numbered, "keyvalue": _parse_keyvalue, "table": _parse_table}[b.layout](lines, b, problems)
    if not b.rings and not problems:
        problems.append(Problem("no_points", "文件中没有拐点", "no corner points in the file"))
    if problems:
        raise GeoError(problems)
    return b


# ---------------------------------------------------------------- writers


def _num(v: float, decimals: int) -> str:
    return f"{v:.{decimals}f}"


def _coord_lines(b: Boundary) -> list[str]:
    d, out = b.decimals, []
    if b.layout == "table":
        roles = b.columns or ["label", "x", "y"]
        for ring in b.rings:
            for p in ring.points:
                cell = {
                    "label": p.label,
                    "x": _num(p.x, d),
                    "y": _num(p.y, d),
                    "block": str(ring.block),
                    "kind": "-1" if ring.hole else "1",
                }
                out.append(b.separator.join(cell.get(r, "") for r in roles))
        return out
    n_point = n_close = 0
    for ring in b.rings:
        for p in ring.points:
            n_point += 1
            fields = [p.label, _num(p.x, d), _num(p.y, d)]
            out.append(f"XY{n_point:03d}=" + ",".join(fields) if b.layout == "keyvalue" else b.separator.join(fields))
        closer = ring.closer
        if closer is None and len(b.rings) > 1:
            closer = ["", "", str(ring.block), "-1" if ring.hole else "1"]
        if closer is not None:
            n_close += 1
            if b.layout == "keyvalue":
                out.append(f"{ring.marker or 'BG'}{n_close:03d}=" + ",".join(closer))
            else:
                out.append(b.separator.join([ring.marker or "标高", *closer]))
    return out


def write(b: Boundary) -> bytes:
    """Write a Boundary back in its layout and encoding; parse(write(b)) reproduces ``b``."""
    template = b.template or [("coords",)]
    known = {e[1] for e in template if e[0] == "kv"}
    missing = [("kv", k) for k in b.metadata if k not in known]  # metadata set after parsing
    if missing:  # after the last metadata line, else first
        at = max((i + 1 for i, e in enumerate(template) if e[0] == "kv"), default=0)
        template = template[:at] + missing + template[at:]
    lines: list[str] = []
    for entry in template:
        if entry[0] == "raw":
            lines.append(entry[1])
        elif entry[0] == "kv":
            lines.append(f"{entry[1]}={b.metadata.get(entry[1], '')}")
        else:
            lines.extend(_coord_lines(b))
    text = b.newline.join(lines) + b.newline
    return (b"\xef\xbb\xbf" if b.bom else b"") + text.encode(b.encoding)

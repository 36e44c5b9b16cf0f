"""Hostile files for upload and import tests: a workbook whose one cell sits on Excel's last row (tiny
packed, huge once a parser walks it), the same without its stated size, and a zip bomb dressed as a
report workbook."""

import io
import re
import zipfile

from openpyxl import Workbook


def sparse_workbook(wb: Workbook, row: int = 1_048_576) -> bytes:
    """`wb` (a report template, so headers and keywords are right) with one more cell at `row`."""
    ws = wb.worksheets[0]
    ws.cell(row=row, column=1, value="KZF-1")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def without_dimension(xlsx: bytes) -> bytes:
    """The same workbook with the sheets' <dimension> removed, so a reader cannot trust a stated size."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            dst.writestr(item, data)
    return out.getvalue()


def zip_bomb(unpacked: int = 300 * 1024 * 1024) -> bytes:
    """A valid report template whose worksheet XML carries `unpacked` bytes of whitespace before its end
    (legal XML, deflated about 1000 : 1), so a reader that trusts the file inflates and parses it all."""
    from kuangzheng.monitoring.core.reports import build_template

    buf = io.BytesIO()
    build_template("monthly_production").save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, data)
                continue
            head, tail = data.rsplit(b"</worksheet>", 1)
            with dst.open(item.filename, "w") as f:
                f.write(head)
                chunk = b" " * (1024 * 1024)
                for _ in range(unpacked // len(chunk)):
                    f.write(chunk)
                f.write(b"</worksheet>" + tail)
    return out.getvalue()

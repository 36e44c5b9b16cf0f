"""`kz application import | list | report` on the small registry."""

import json

from click.testing import CliRunner

from kuangzheng.applications.models import Application
from kuangzheng.cli import main

from .helpers import FAR, OVERLAPPING, PDF, corners, mining_record


def _batch(tmp_path, second_record):
    (tmp_path / "form.pdf").write_bytes(PDF)
    docs = {item: "form.pdf" for item in ("application_form", "development_plan", "restoration_plan")}
    batch = [
        {"kind": "new_mining", "record": mining_record(), "corner_points": corners(FAR), "documents": docs},
        {"kind": "new_mining", "record": second_record, "corner_points": corners(OVERLAPPING), "documents": docs},
    ]
    f = tmp_path / "batch.json"
    f.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    return f


def test_import_is_all_or_none_then_list_and_report(reg, tmp_path):
    bad = _batch(tmp_path, {"name": "缺项"})
    r = CliRunner().invoke(main, ["application", "import", str(bad), "--as", "u-ent-a"])
    assert r.exit_code != 0 and "第2行 record.minerals" in r.output
    assert Application.objects.count() == 0
    good = _batch(tmp_path, mining_record(name="第二个"))
    r = CliRunner().invoke(main, ["application", "import", str(good), "--as", "u-ent-a"])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["filed"]) == 2
    r = CliRunner().invoke(main, ["application", "list", "--as", "u-reg-im", "--status", "filed"])
    assert r.exit_code == 0 and r.output.count("new_mining") == 2 and "acceptance" in r.output
    r = CliRunner().invoke(main, ["application", "report", "--as", "u-reg-im"])
    out = json.loads(r.output)
    assert out["total"] == 2 and out["by_status"] == {"filed": 2}
    assert out["working_days_per_stage"]["filed"]["n"] == 2
    r = CliRunner().invoke(main, ["application", "report", "--as", "u-ent-a"])
    assert r.exit_code == 1 and "Only administrators and regulators" in r.output

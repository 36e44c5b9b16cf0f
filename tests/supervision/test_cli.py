"""`kz supervise draw --verify` recomputes a published draw from the file alone — in a fresh process
with an empty data folder (no database at all) — and fails on a changed pool or seed; `kz supervise
daily` runs the job; `kz supervise inspector` enrols."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kuangzheng.cli import main
from kuangzheng.supervision import plans
from kuangzheng.supervision.models import Alert, Inspector


def _published(sup, tmp_path):
    reg = sup.actors["reg_bt"]
    p = plans.create(reg, {"title": "t", "ratio": 0.5, "seed_source": "s", "filters": {"kind": "mining"}})
    p = plans.publish(reg, p.pk, p.version)
    p = plans.run_draw(reg, p.pk, "2026-12-02 3312.45", p.version)
    f = tmp_path / "draw.json"
    f.write_text(json.dumps(plans.result(reg, p.pk), ensure_ascii=False), encoding="utf-8")
    return f


def _verify(path, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "KZ_DATA_DIR": str(tmp_path / "empty"), "HOME": str(tmp_path)}
    return subprocess.run(
        [str(Path(sys.executable).parent / "kz"), "supervise", "draw", "--verify", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_verify_in_a_clean_process_then_tampered(sup, tmp_path):
    f = _published(sup, tmp_path)
    ok = _verify(f, tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "verified" in ok.stdout
    assert not (tmp_path / "empty").exists() or not any((tmp_path / "empty").iterdir())  # no database was made
    data = json.loads(f.read_text("utf-8"))
    data["subjects"] = data["subjects"][1:]
    (tmp_path / "pool.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bad = _verify(tmp_path / "pool.json", tmp_path)
    assert bad.returncode != 0 and "announced" in bad.stderr
    data = json.loads(f.read_text("utf-8"))
    data["seed"] = "2026-12-02 3312.46"
    (tmp_path / "seed.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bad = _verify(tmp_path / "seed.json", tmp_path)
    assert bad.returncode != 0 and "differ" in bad.stderr


def test_daily_and_inspector_commands(sup):
    r = CliRunner().invoke(main, ["supervise", "daily", "--date", "2034-11-01"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["result"]["new"] >= 1
    assert Alert.objects.filter(kind="right_expiring").exists()
    r = CliRunner().invoke(main, ["supervise", "daily", "--date", "2034-13-01"])
    assert r.exit_code != 0 and "YYYY-MM-DD" in r.output
    r = CliRunner().invoke(main, ["supervise", "inspector", "u-reg-im", "--division", "150000", "--as", "u-admin"])
    assert r.exit_code == 0, r.output
    assert Inspector.objects.get(user=sup.users["reg_im"]).division == "150000"
    r = CliRunner().invoke(main, ["supervise", "inspector", "u-ent-a", "--division", "150200", "--as", "u-admin"])
    assert r.exit_code != 0 and "regulators" in r.output

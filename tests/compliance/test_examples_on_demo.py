"""The examples of docs/check-input.md, run as a reader would: `kz check` on the demo data (`kz init
--demo`), not on the test suite's registry. Each example's stated outcome must hold there."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser  # needs the demo portal (a real `kz init --demo`)
KZ = str(Path(sys.executable).with_name("kz"))
DOC = Path(__file__).resolve().parents[2] / "docs" / "check-input.md"


def _documented(title_word: str) -> dict:
    """The JSON example under the '### …' heading naming `title_word`."""
    section = DOC.read_text(encoding="utf-8").split("## Examples", 1)[1]
    for part in section.split("\n### ")[1:]:
        if title_word in part.splitlines()[0]:
            return json.loads(re.search(r"```json\n(.*?)```", part, flags=re.S).group(1))
    raise AssertionError(f"no example titled with {title_word!r}")


def _check(portal_env, tmp_path, doc: dict) -> dict:
    f = tmp_path / "doc.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run([KZ, "check", str(f)], env=portal_env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return {v["rule"]: v for v in json.loads(r.stdout)["verdicts"]}


def test_the_concentrator_example_holds_on_the_demo_data(portal_env, tmp_path):
    """'Within 30 km of a key mining area, 300 t/d meets the copper minimum exactly (不低于).'"""
    got = _check(portal_env, tmp_path, _documented("concentrator"))
    v = got["concentrator.min_capacity"]
    assert v["outcome"] == "pass", v["explanation"]
    facts = {f["name"]: f["value"] for f in v["facts"]}
    assert facts["daily_capacity"] == 300 and facts.get("threshold") == 300

"""Export contract (JSON / CSV / YAML) and the `policy` click group."""

import csv
import io
import json

import pytest
import yaml
from click.testing import CliRunner

from kuangzheng.policy.catalogue import PolicyError, load_catalogue
from kuangzheng.policy.cli import policy
from kuangzheng.policy.export import CSV_COLUMNS, dumps

from .helpers import find, planted

CONTRACT = {"id", "doc", "quote", "jurisdiction", "kind", "comparison", "value", "unit", "effective", "year"}


def test_json_export_contract():
    data = json.loads(dumps("json"))
    assert isinstance(data, list) and len(data) == len(load_catalogue().entries)
    for row in data:
        assert CONTRACT <= set(row)
    row = next(r for r in data if r["id"] == "000.al.new.cell_current")
    assert (row["doc"], row["comparison"], row["value"], row["unit"], row["effective"]) == (
        "000_af69fe513fa759e2.txt",
        ">=",
        400,
        "kA",
        "2012-01-01",
    )
    lst = next(r for r in data if r["id"] == "000.flyash.demo_projects")
    assert lst["value"] == ["大唐二期", "神华一期", "中铝一期"] and lst["unit"] is None


def test_csv_and_yaml_carry_the_same_entries():
    rows = list(csv.DictReader(io.StringIO(dumps("csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(load_catalogue().entries)
    r = next(r for r in rows if r["id"] == "000.agreement_transfer.mining_expansion_max")
    assert float(r["value"]) == pytest.approx(0.3333)
    lst = next(r for r in rows if r["id"] == "000.flyash.demo_projects")
    assert json.loads(lst["value"]) == ["大唐二期", "神华一期", "中铝一期"]
    assert yaml.load(dumps("yaml"), Loader=yaml.CSafeLoader) == json.loads(dumps("json"))


def test_unknown_format_is_a_bilingual_error():
    with pytest.raises(PolicyError) as exc:
        dumps("xml")
    assert "xml" in exc.value.zh and "xml" in exc.value.en


def test_cli_list_filters():
    r = CliRunner().invoke(policy, ["list", "--doc", "000", "--kind", "fee"])
    assert r.exit_code == 0
    ids = [line.split("\t")[0] for line in r.stdout.splitlines()]
    assert "000.fee.exploration.floor_price_outside_zones" in ids and all(i.startswith("000.") for i in ids)


def test_cli_show_and_unknown_id():
    r = CliRunner().invoke(policy, ["show", "000.al.new.cell_current"])
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    start, end = d["quote_offsets"]
    assert load_catalogue().seed_text(d["doc"])[start:end] == d["quote"]
    r = CliRunner().invoke(policy, ["show", "000.nope"])
    assert r.exit_code != 0 and "000.nope" in r.output


def test_cli_export_to_file(tmp_path):
    out = tmp_path / "cat.json"
    r = CliRunner().invoke(policy, ["export", "--format", "json", "-o", str(out)])
    assert r.exit_code == 0 and len(json.loads(out.read_text(encoding="utf-8"))) == len(load_catalogue().entries)
    r = CliRunner().invoke(policy, ["export", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.startswith("id,doc,")


def test_cli_check_passes_on_shipped_and_fails_on_planted(tmp_path):
    r = CliRunner().invoke(policy, ["check"])
    assert r.exit_code == 0, r.output
    planted(tmp_path, lambda d: find(d, "000.al.new.cell_current").update(value=500))
    r = CliRunner().invoke(policy, ["check", "--dir", str(tmp_path)])
    assert r.exit_code == 1 and "000.al.new.cell_current" in r.output and "500" in r.output


def test_cli_consistency():
    r = CliRunner().invoke(policy, ["consistency"])
    assert r.exit_code == 0 and "27.3" in r.output and "419.9" in r.output
    r = CliRunner().invoke(policy, ["consistency", "--json"])
    data = json.loads(r.stdout)
    assert {"growth", "sums", "cross_checks", "ambiguities"} <= set(data)


def test_quote_context_for_highlighting():
    from kuangzheng.policy.catalogue import quote_context

    e = load_catalogue().get("000.exploration.integrated.local_registration")  # quote spans an ideographic space
    ctx = quote_context(e, chars=10)
    assert "\u3000" in ctx["quote"] and ctx["quote"].startswith("中标企业") and len(ctx["before"]) == 10
    assert ctx["before"] + ctx["quote"] + ctx["after"] in load_catalogue().seed_text(e.doc)

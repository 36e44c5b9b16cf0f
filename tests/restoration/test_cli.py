"""`kz restoration …` on the test database: the ledger check, a mine's fund, the report line."""

from click.testing import CliRunner

from kuangzheng.cli import main
from kuangzheng.restoration import fund

from .helpers import actor, approved_plan


def test_cli(reg):
    approved_plan(reg)
    fund.post(actor(reg, "ent_a"), right=reg.r_bt.pk, kind="deposit", amount="250000", request_id="d", year=2025)
    run = CliRunner().invoke
    r = run(main, ["restoration", "check-ledgers"])
    assert r.exit_code == 0 and '"unbalanced": []' in r.output
    r = run(main, ["restoration", "fund", reg.r_bt.licence_no])
    assert r.exit_code == 0 and '"fund": "250000.00"' in r.output
    assert run(main, ["restoration", "fund", "NO-SUCH"]).exit_code == 2
    r = run(main, ["restoration", "report", "2025"])
    assert "缴存 25.00万元" in r.output and "300237.04" in r.output

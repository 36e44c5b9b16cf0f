"""One harness for the tests that race real transactions against each other (the capacity ledger,
the restoration fund, applications deciding and numbering, registry editors).

- `together` runs calls in threads at the same moment and says how each ended;
- `paused_after_read` switches a guarded module's lock on or off and holds the first request after
  its read until the second has read too, so without the lock both read the same balance;
- `in_subprocess` and `main` are the two sides of the SQLite run: a script on a file database in a
  fresh process, since the in-memory test database cannot hold two real transactions.

The PostgreSQL runs call the same race functions in the test process (`postgres_only`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support import on_postgres

ROOT = Path(__file__).resolve().parents[2]
UNPROTECTED = "--unprotected"

postgres_only = pytest.mark.skipif(not on_postgres(), reason="needs DATABASE_URL=postgres://… (real row locks)")
# A guarded write run with its lock and without it: the second case must show the double spend,
# so the test fails if the protection stops mattering.
with_and_without_the_lock = pytest.mark.parametrize(
    "locked", [True, False], ids=["with-the-lock", "without-it-double-spends"]
)


def status_of(exc: BaseException) -> str | None:
    """A service's refusal as its HTTP status ("409"); None for anything else (an error)."""
    from kuangzheng.errors import ServiceError

    return str(exc.status) if isinstance(exc, ServiceError) else None


def refused_by(*kinds: type[BaseException]) -> Callable[[BaseException], str | None]:
    """Exceptions of these kinds end a call as "refused"; any other is an error."""
    return lambda exc: "refused" if isinstance(exc, kinds) else None


def together(
    calls: Sequence[Callable[[], object]],
    *,
    ok: str = "ok",
    refused: Callable[[BaseException], str | None] = status_of,
    start_together: bool = True,
    timeout: float = 120,
) -> tuple[list[str | None], list[str]]:
    """Run each call in its own thread (released by one barrier unless start_together is False) with
    its own database connection. Returns each call's outcome in order — `ok`, or what `refused`
    names its exception — and the other exceptions, which the test should find empty."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes: list[str | None] = [None] * len(calls)
    errors: list[str] = []

    def run(i: int) -> None:
        try:
            if start_together:
                barrier.wait(timeout=10)
            calls[i]()
            outcomes[i] = ok
        except Exception as exc:
            outcomes[i] = refused(exc)
            if outcomes[i] is None:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return outcomes, errors


@contextmanager
def paused_after_read(guarded, locked: bool, hold: float = 1.5) -> Iterator[None]:
    """Within: `guarded` (a module with SERIALISE and the test hook _after_read) runs with its lock
    on or off, and its first request waits after reading until the second has read too. Under the
    lock the second cannot read, so the wait gives up after `hold` seconds and the first goes on."""
    barrier = threading.Barrier(2)

    def hold_after_read():
        try:
            barrier.wait(timeout=hold)
        except threading.BrokenBarrierError:
            pass

    guarded.SERIALISE, guarded._after_read = locked, hold_after_read
    try:
        yield
    finally:
        guarded.SERIALISE, guarded._after_read = True, None


def in_subprocess(module: str, tmp_path, locked: bool = True, timeout: float = 300) -> dict:
    """Run `python -m module` on a SQLite file database in tmp_path; the JSON it prints last."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KZ_DATA_DIR"] = str(tmp_path)
    args = [] if locked else [UNPROTECTED]
    out = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(run: Callable[[bool], object]) -> None:
    """The script side of `in_subprocess`: Django on the SQLite database in KZ_DATA_DIR, migrated,
    then print `run(locked)` as JSON (locked unless the script was given --unprotected)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    os.environ.pop("DATABASE_URL", None)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(json.dumps(run(UNPROTECTED not in sys.argv), ensure_ascii=False))

"""schemathesis over the OpenAPI document against a live server with the demo data, as every role:
cases generated from the document (valid ones, and invalid ones that break it) are sent as the public,
an enterprise user, a city regulator, a provincial regulator and an administrator. No answer may be a
server error, and every status must be one the document lists for that operation.

Bounded for CI: KZ_FUZZ_EXAMPLES cases per operation and generation mode (default 6), and at most
KZ_FUZZ_SECONDS per operation (default 2.5); the server is a fresh demo of its own, since fuzzed
writes change records."""

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.support.live import serve_demo, signed_in

pytestmark = pytest.mark.slow
ROLES = (None, "qiye", "baotou", "nmg", "admin")
EXAMPLES = int(os.environ.get("KZ_FUZZ_EXAMPLES", "6"))
SECONDS = float(os.environ.get("KZ_FUZZ_SECONDS", "2.5"))


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    with serve_demo(tmp_path_factory.mktemp("kz-fuzz"), "fuzz") as base:
        yield base


def _fuzz(operation, mode, sessions, failures, calls):
    stop = time.monotonic() + SECONDS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if time.monotonic() > stop or len(failures) >= 20:
            return
        for role, session in sessions.items():
            response = case.call(session=session, timeout=60)
            calls.append(response.status_code)
            try:
                case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
            except (AssertionError, BaseExceptionGroup) as exc:  # one check failed, or several
                failures.append(f"{role or 'public'} {case.method} {case.formatted_path}: {str(exc)[:600]}")

    try:
        run()
    except Unsatisfiable:  # nothing to break: an operation without parameters has no invalid cases
        pass


def test_no_server_error_and_every_status_documented(fuzz_server):
    schema = schemathesis.openapi.from_url(fuzz_server + "/api/v1/openapi.json")
    sessions = {role: signed_in(fuzz_server, role) for role in ROLES}
    failures: list[str] = []
    calls: list[int] = []
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) > 50
    t0 = time.monotonic()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, sessions, failures, calls)
    counts = {code: calls.count(code) for code in sorted(set(calls))}
    print(f"schemathesis: {len(operations)} operations, {len(calls)} requests {counts}, {time.monotonic() - t0:.0f} s")
    assert not failures, "\n".join(failures)

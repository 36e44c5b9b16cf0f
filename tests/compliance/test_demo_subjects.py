"""Every subject of the demo registry, of every kind, can be checked on a real server: through the API
and through its portal page, with no server error (each answered 500 once, on an index fault in the
spatial facts of a right checked alone)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.live import signed_in

KINDS = {"right": "rights", "facility": "facilities", "zone": "zones"}


def _ids(session, base: str, path: str) -> list[int]:
    ids, page = [], 1
    while True:
        body = session.get(f"{base}/api/v1/{path}", params={"size": 1000, "page": page}, timeout=60).json()
        ids += [r["id"] for r in body["results"]]
        if page >= body["pages"]:
            return ids
        page += 1


@pytest.mark.slow
def test_every_demo_subject_checks_through_api_and_page(portal_server):
    base = portal_server
    admin = signed_in(base, "admin")
    subjects = [(kind, pk) for kind, path in KINDS.items() for pk in _ids(admin, base, path)]
    assert {k for k, _ in subjects} == set(KINDS)  # every kind the demo has (about 800 subjects in all)
    local = threading.local()

    def check(subject):
        if not hasattr(local, "s"):
            local.s = signed_in(base, "admin")
        kind, pk = subject
        api = local.s.get(f"{base}/api/v1/compliance/subjects/{kind}/{pk}", timeout=120)
        page = local.s.get(f"{base}/compliance/subjects/{kind}/{pk}/", timeout=120)
        rules = {v["rule"] for v in api.json()} if api.status_code == 200 else set()
        return kind, pk, api.status_code, page.status_code, all(r in page.text for r in rules), len(rules)

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(check, subjects))
    failed = [g[:5] for g in got if g[2:5] != (200, 200, True)]
    assert not failed, f"{len(failed)} of {len(got)} subjects fail (kind, id, api, page, verdicts shown): {failed[:10]}"
    for kind in KINDS:  # the checks found something to say about subjects of every kind, and most subjects
        assert any(g[5] for g in got if g[0] == kind), kind
    assert sum(g[5] > 0 for g in got) > len(got) / 2

"""The notice board's endpoints as every role: reading is public to all, there is no write endpoint
(notices are published by the domains' own actions)."""

import pytest

from kuangzheng.notices import services as notices
from tests.access.test_role_matrix import ROLES
from tests.applications.helpers import actors

ENDPOINTS = [("GET", "/notices"), ("GET", "/notices/kinds"), ("GET", "/notices/{pk}")]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_board(role, reg, login):
    n = notices.publish(
        actors(reg)["reg_bt"],
        kind="application_notice",
        source="applications.Application:7",
        division="150200",
        title_zh="公示",
        title_en="Notice",
        body_zh="内容",
        body_en="Text",
    )
    c = login(role, reg)
    assert c.get("/api/v1/notices").json()["count"] == 1
    assert "application_notice" in c.get("/api/v1/notices/kinds").json()
    assert c.get(f"/api/v1/notices/{n.pk}").status_code == 200
    for page in ("/public-notices/", f"/public-notices/{n.pk}/", "/public-notices/feed.atom"):
        assert c.get(page).status_code == 200
    assert c.post("/api/v1/notices", {}, content_type="application/json").status_code == 405

import pytest

from kuangzheng.registry.core import lifecycle


def test_fold_of_events():
    assert lifecycle.state_after(["granted"]) == "valid"
    assert lifecycle.state_after(["applied", "granted", "suspended", "renewed"]) == "valid"
    assert lifecycle.state_after(["granted", "expired"]) == "expired"
    assert lifecycle.state_after(["granted", "merged"]) == "merged"


@pytest.mark.parametrize(
    "events",
    [
        ["renewed"],
        ["applied", "transferred"],
        ["granted", "closed", "renewed"],
        ["granted", "expired", "renewed"],
        ["granted", "granted"],
    ],
)
def test_illegal_sequences(events):
    with pytest.raises(ValueError):
        lifecycle.state_after(events)


def test_terminal_states_allow_nothing():
    assert lifecycle.TERMINAL == {"merged", "cancelled", "exited", "closed"}
    for s in lifecycle.TERMINAL:
        assert lifecycle.check_transition(s, "renewed") is not None

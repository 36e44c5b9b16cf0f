"""The supervision fixture: the small registry plus an inspector pool (see helpers.make_sup)."""

import pytest

from .helpers import make_sup


@pytest.fixture
def sup(reg):
    return make_sup(reg)

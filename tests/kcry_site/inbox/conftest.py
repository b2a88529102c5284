"""The members and the work the inbox tests share."""

import pytest

from tests.factories import UserFactory, WorkFactory


@pytest.fixture
def work():
    return WorkFactory(slug="haru-haru", title="Haru Haru")


@pytest.fixture
def alice():
    return UserFactory(username="alice")


@pytest.fixture
def bob():
    return UserFactory(username="bob")

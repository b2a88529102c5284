"""The member whose data the export and import tests move, and their logged-in client."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def member():
    return UserFactory(username="jisoo")


@pytest.fixture
def owner_client(client, member):
    client.force_login(member)
    return client

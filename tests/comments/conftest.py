import pytest
from django.contrib.auth.models import Permission

from catalog.models import Work
from tests.factories import EditorialListFactory, UserFactory, WorkFactory


@pytest.fixture
def member(db):
    return UserFactory(username="jiwoo")


@pytest.fixture
def other(db):
    return UserFactory(username="minseo")


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mod", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="moderate_comment"),
        Permission.objects.get(codename="view_comment"),
        Permission.objects.get(codename="change_comment"),
        Permission.objects.get(codename="view_flag"),
    )
    return user


@pytest.fixture
def mv(db):
    return WorkFactory(
        kind=Work.Kind.MV, slug="haru-haru", video_url="https://www.youtube.com/watch?v=abc123"
    )


@pytest.fixture
def film(db):
    return WorkFactory(kind=Work.Kind.FILM, slug="ode-to-my-father", title="Ode to My Father")


@pytest.fixture
def editorial_list(db):
    return EditorialListFactory(slug="saddest-mvs")

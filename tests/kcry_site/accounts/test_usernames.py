"""Look-alike and reserved usernames are refused at sign-up and in the admin."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from kcry_site.accounts.forms import SignUpForm
from kcry_site.accounts.usernames import skeleton
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-sad-ballad-77"


def sign_up(client, username, email="new@example.com"):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.parametrize(
    ("existing", "lookalike"),
    [
        ("alice", "\u0430lice"),  # Cyrillic а
        ("älice", "ÄLICE"),  # case, beyond ASCII (SQLite's NOCASE stops at ASCII)
        ("bob", "bob."),
        ("bob", "_bob"),
        ("alice", "aIice"),  # capital I for l
        ("alice", "a1ice"),
        ("mary", "rnary"),
        ("bob", "B0B"),
        ("joe", "j\u043e\u0435"),  # Cyrillic о and е
    ],
)
def test_sign_up_refuses_a_name_that_reads_like_a_taken_one(client, existing, lookalike):
    UserFactory(username=existing)
    response = sign_up(client, lookalike)
    assert response.status_code == 200
    # Django's own check already refuses ÄLICE on PostgreSQL (not on SQLite): either way.
    assert response.context["form"].errors["username"][-1] in (
        "This username looks the same as one that is already taken. Please choose one "
        "that readers can tell apart.",
        "That username is taken. Please choose another.",
    )
    assert not User.objects.filter(username=lookalike).exists()


@pytest.mark.parametrize("name", ["admin", "Administrator", "\u0430dmin", "kcry.", "ROOT", "u"])
def test_sign_up_refuses_reserved_names(client, name):
    response = sign_up(client, name)
    assert response.status_code == 200
    assert "kept for the site itself" in response.content.decode()
    assert not User.objects.filter(username=name).exists()


def test_skeletons_fold_width_marks_and_scripts():
    assert skeleton("ＡＬＩＣＥ") == skeleton("alice")
    assert skeleton("김민지") == skeleton("김민지.")
    assert skeleton("김민지") != skeleton("김민자")
    assert skeleton("...") == "..."


def test_reserved_names_are_a_setting(client, settings):
    settings.KCRY_RESERVED_USERNAMES = ["tissue"]
    assert "kept for the site" in sign_up(client, "TISSUE").content.decode()
    assert sign_up(client, "admin").status_code == 302


def test_distinct_names_are_still_free(client):
    UserFactory(username="alice")
    for name, email in [("alicia", "a@example.com"), ("malice", "m@example.com")]:
        client.logout()
        assert sign_up(client, name, email).status_code == 302


def test_the_skeleton_is_stored_and_unique_even_past_the_form():
    member = UserFactory(username="Alice.")
    member.refresh_from_db()
    assert member.username_skeleton == skeleton("alice")
    with pytest.raises(IntegrityError):
        UserFactory(username="\u0430lice")


def test_renaming_updates_the_skeleton_and_other_saves_leave_it():
    member = UserFactory(username="mina")
    member.username = "minji"
    member.save(update_fields=["username"])
    member.refresh_from_db()
    assert member.username_skeleton == skeleton("minji")
    assert SignUpForm(
        {
            "username": "minji",
            "email": "x@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    ).errors["username"]


def test_the_settings_page_still_saves_for_an_old_clashing_account(client):
    # Two accounts from before skeletons whose names read the same: the later keeps NULL.
    UserFactory(username="alice")
    old = UserFactory(username="alice2")
    User.objects.filter(pk=old.pk).update(username="\u0430lice", username_skeleton=None)
    client.force_login(User.objects.get(pk=old.pk))
    response = client.post("/accounts/settings/", {"display_name": "Old Alice", "bio": ""})
    assert response.status_code == 302
    old = User.objects.get(pk=old.pk)
    assert (old.display_name, old.username_skeleton) == ("Old Alice", None)


def test_the_migration_fills_skeletons_and_keeps_clashing_accounts():
    first = UserFactory(username="bob")
    second = UserFactory(username="bob2")
    third = UserFactory(username="carol")
    User.objects.filter(pk=second.pk).update(username="bob.")
    User.objects.update(username_skeleton=None)
    migration = importlib.import_module("kcry_site.accounts.migrations.0003_username_skeleton")
    migration.fill_skeletons(global_apps, None)
    skeletons = dict(User.objects.values_list("pk", "username_skeleton"))
    assert skeletons == {first.pk: "bob", second.pk: None, third.pk: skeleton("carol")}


def test_the_admin_add_form_refuses_a_lookalike(admin_client):
    UserFactory(username="alice")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "\u0430lice",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "looks the same as one that is already taken" in response.content.decode()
    assert not User.objects.filter(username="\u0430lice").exists()

"""Members suggest missing works; staff approve, merge or reject them in admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from catalog import services
from catalog.models import Credit, Person, Suggestion, Work
from tests.factories import (
    CreditFactory,
    PersonFactory,
    SuggestionFactory,
    UserFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db

# Paths, not reverse(): resolving URLs at import would load the URLconf during collection.
SUGGEST = "/suggest/"
MINE = "/suggest/mine/"


def form_data(**overrides):
    data = {
        "kind": "song",
        "title": "Snow Flower",
        "title_ko": "눈의 꽃",
        "artist_or_director": "Park Hyo-shin",
        "year": "2004",
        "video_url": "https://example.com/snow",
        "reason": "Every winter, without fail.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(member, **overrides):
    fields = {
        "kind": "song",
        "title": "Snow Flower",
        "title_ko": "눈의 꽃",
        "artist_or_director": "Park Hyo-shin",
        "year": 2004,
        "reason": "Every winter, without fail.",
    }
    fields.update(overrides)
    return services.suggestion_submit(member=member, **fields)


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-12345-x")


@pytest.fixture
def in_catalog():
    """ "You and I" by Park Bom, already in the catalog."""
    work = WorkFactory(title="You and I", title_ko="너와 나", slug="you-and-i")
    CreditFactory(work=work, person=PersonFactory(name="Park Bom", name_ko="박봄"))
    return work


# --- submitting ----------------------------------------------------------------------------


def test_suggesting_needs_a_login_and_brings_the_member_back(client):
    assert (reverse("catalog:suggest"), reverse("catalog:my-suggestions")) == (SUGGEST, MINE)
    for url in (SUGGEST, MINE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    assert client.post(SUGGEST, form_data()).status_code == 302
    assert not Suggestion.objects.exists()


def test_the_form_labels_every_field(client):
    client.force_login(UserFactory())
    body = client.get(SUGGEST).content.decode()
    for field in ("kind", "title", "title_ko", "artist_or_director", "year", "video_url", "reason"):
        assert f'<label for="id_{field}">' in body


def test_a_suggestion_is_stored_pending_and_shown_on_my_suggestions(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post(SUGGEST, form_data())
    assert response.status_code == 302 and response["Location"] == MINE
    suggestion = Suggestion.objects.get()
    assert suggestion.member == member and suggestion.status == Suggestion.Status.PENDING
    assert (suggestion.title_key, suggestion.title_ko_key, suggestion.artist_key) == (
        "snowflower",
        "눈의꽃",
        "parkhyoshin",
    )
    page = client.get(MINE).content.decode()
    assert "Snow Flower" in page and "Waiting for staff" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "!!!"}, "title"),
        ({"artist_or_director": "  "}, "artist_or_director"),
        ({"kind": "podcast"}, "kind"),
        ({"year": "1850"}, "year"),
        ({"year": "soon"}, "year"),
        ({"video_url": "not a link"}, "video_url"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"title": "t" * 201}, "title"),
    ],
)
def test_bad_suggestions_get_400_with_the_field_named_and_store_nothing(client, overrides, field):
    client.force_login(UserFactory())
    response = client.post(SUGGEST, form_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "errorlist" in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    ("title", "artist"),
    [
        ("YOU AND I", "park bom"),  # case and spacing
        ("you  and  i", "Park-Bom"),
        ("너와 나", "박봄"),  # the Korean title and name
        ("You and I", "박 봄"),
    ],
)
def test_a_work_already_in_the_catalog_is_linked_and_nothing_stored(
    client, in_catalog, title, artist
):
    client.force_login(UserFactory())
    response = client.post(SUGGEST, form_data(title=title, title_ko="", artist_or_director=artist))
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        f'<a href="{in_catalog.get_absolute_url()}">You and I</a> is already in the catalog' in body
    )
    assert not Suggestion.objects.exists()


def test_same_title_by_another_artist_is_not_a_duplicate(client, in_catalog):
    client.force_login(UserFactory())
    response = client.post(SUGGEST, form_data(title="You and I", artist_or_director="IU"))
    assert response.status_code == 302
    assert Suggestion.objects.count() == 1


def test_the_same_member_cannot_suggest_the_same_work_twice_while_pending(client):
    member = UserFactory()
    client.force_login(member)
    client.post(SUGGEST, form_data())
    response = client.post(SUGGEST, form_data(title="snow flower", title_ko=""))
    assert response.status_code == 400
    assert "You have already suggested this work" in response.content.decode()
    # Matching also crosses scripts: the Korean title typed as the title.
    response = client.post(SUGGEST, form_data(title="눈의 꽃", title_ko=""))
    assert response.status_code == 400
    assert Suggestion.objects.count() == 1


def test_a_pending_duplicate_per_member_is_a_database_rule():
    first = SuggestionFactory(title="Snow Flower", artist_or_director="Park Hyo-shin")
    with pytest.raises(IntegrityError):
        SuggestionFactory(
            member=first.member, title="SNOW flower", artist_or_director="park hyoshin"
        )


def test_two_members_suggesting_the_same_work_are_counted_as_duplicates():
    first = submit(UserFactory())
    second = submit(UserFactory(), title="snow flower", title_ko="")
    third = submit(UserFactory(), title="눈의 꽃", title_ko="")  # Korean title as the title
    other = submit(UserFactory(), title="Breath", title_ko="", artist_or_director="Park Hyo-shin")
    counted = dict(Suggestion.objects.with_duplicates().values_list("pk", "duplicates"))
    # Pairs that share a title key and the artist: the second and third share nothing
    # directly (one gives only the English title, the other only the Korean one).
    assert counted == {first.pk: 2, second.pk: 1, third.pk: 1, other.pk: 0}


def test_a_member_has_a_limit_of_pending_suggestions(settings):
    settings.KCRY_SUGGESTIONS_PENDING_MAX = 2
    member = UserFactory()
    submit(member, title="One", title_ko="")
    submit(member, title="Two", title_ko="")
    with pytest.raises(ValidationError, match="2 suggestions waiting"):
        submit(member, title="Three", title_ko="")
    assert Suggestion.objects.count() == 2


def test_suggestions_are_post_and_csrf_only(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.post(SUGGEST, form_data()).status_code == 403
    assert not Suggestion.objects.exists()


# --- staff decisions -----------------------------------------------------------------------


def test_approving_creates_the_work_its_artist_and_the_credit(staff):
    suggestion = submit(UserFactory(), video_url="https://example.com/snow")
    work = services.suggestion_approve(suggestion=suggestion, staff=staff)
    assert (work.title, work.title_ko, work.kind, work.year) == (
        "Snow Flower",
        "눈의 꽃",
        "song",
        2004,
    )
    assert work.video_url == "https://example.com/snow" and work.is_published
    credit = Credit.objects.get(work=work)
    assert credit.person.name == "Park Hyo-shin" and credit.role == Credit.Role.ARTIST
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
    assert suggestion.work == work and suggestion.decided_by == staff and suggestion.decided


def test_approving_reuses_a_person_already_in_the_catalog(staff):
    person = PersonFactory(name="Park Hyo-shin", name_ko="박효신")
    films = submit(UserFactory(), artist_or_director="박효신", title="Another Song", title_ko="")
    work = services.suggestion_approve(suggestion=films, staff=staff)
    assert list(work.people.all()) == [person]
    assert Person.objects.count() == 1


def test_approving_a_film_credits_its_director_and_makes_unique_slugs(staff):
    WorkFactory(slug="ode-to-my-father")
    film = submit(
        UserFactory(),
        kind="film",
        title="Ode to My Father",
        title_ko="",
        artist_or_director="윤제균",
    )
    work = services.suggestion_approve(suggestion=film, staff=staff)
    assert work.slug == "ode-to-my-father-2"
    credit = work.credits.get()
    assert credit.role == Credit.Role.DIRECTOR
    assert credit.person.slug == "person" and credit.person.name == "윤제균"


def test_approving_settles_the_other_pending_suggestions_of_the_same_work(staff, client):
    first = submit(UserFactory())
    late = UserFactory()
    second = submit(late, title="SNOW FLOWER", title_ko="")
    work = services.suggestion_approve(suggestion=first, staff=staff)
    second.refresh_from_db()
    assert second.status == Suggestion.Status.MERGED and second.work == work
    assert Work.objects.filter(title__iexact="snow flower").count() == 1
    client.force_login(late)
    page = client.get(MINE).content.decode()
    assert f'<a href="{work.get_absolute_url()}">Snow Flower</a>' in page


def test_approval_never_creates_a_duplicate_of_a_catalog_work(staff, in_catalog):
    # Stored before the work reached the catalog (submission would refuse it now).
    suggestion = SuggestionFactory(title="you and i", artist_or_director="PARK BOM")
    with pytest.raises(ValidationError, match="merge the suggestion into it instead"):
        services.suggestion_approve(suggestion=suggestion, staff=staff)
    assert Work.objects.count() == 1
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_merging_points_the_suggestion_at_the_existing_work(staff, in_catalog, client):
    suggestion = SuggestionFactory(title="You & I", artist_or_director="Park Bom")
    services.suggestion_merge(suggestion=suggestion, work=in_catalog, staff=staff)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.MERGED and suggestion.work == in_catalog
    assert suggestion.staff_reason == "It is already in the catalog."
    client.force_login(suggestion.member)
    page = client.get(MINE).content.decode()
    assert "Merged into a work already in the catalog" in page
    assert in_catalog.get_absolute_url() in page


def test_rejecting_needs_a_reason_the_member_then_sees(staff, client):
    suggestion = SuggestionFactory()
    for empty in ("", "   "):
        with pytest.raises(ValidationError, match="reason"):
            services.suggestion_reject(suggestion=suggestion, reason=empty, staff=staff)
    suggestion.refresh_from_db()
    assert suggestion.is_pending
    services.suggestion_reject(
        suggestion=suggestion, reason="It is a Japanese song, sorry.", staff=staff
    )
    client.force_login(suggestion.member)
    page = client.get(MINE).content.decode()
    assert "Not added" in page and "Staff: It is a Japanese song, sorry." in page


def test_a_decided_suggestion_cannot_be_decided_again(staff, in_catalog):
    suggestion = SuggestionFactory()
    services.suggestion_reject(suggestion=suggestion, reason="Not Korean.", staff=staff)
    with pytest.raises(ValidationError, match="already decided"):
        services.suggestion_approve(suggestion=suggestion, staff=staff)
    with pytest.raises(ValidationError, match="already decided"):
        services.suggestion_merge(suggestion=suggestion, work=in_catalog, staff=staff)
    assert Work.objects.count() == 1


def test_only_staff_decide(in_catalog):
    suggestion = SuggestionFactory()
    member = UserFactory()
    with pytest.raises(PermissionDenied):
        services.suggestion_approve(suggestion=suggestion, staff=member)
    with pytest.raises(PermissionDenied):
        services.suggestion_reject(suggestion=suggestion, reason="no", staff=member)
    with pytest.raises(PermissionDenied):
        services.suggestion_merge(suggestion=suggestion, work=in_catalog, staff=member)


def test_members_only_see_their_own_suggestions(client):
    SuggestionFactory(title="Someone Else's Pick")
    client.force_login(UserFactory())
    page = client.get(MINE).content.decode()
    assert "Someone Else" not in page and "You have not suggested any works yet." in page


# --- the admin queue -----------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def change_url(suggestion):
    return reverse("admin:catalog_suggestion_change", args=[suggestion.pk])


def decision_data(staff_client, suggestion, **fields):
    from tests.admin_forms import admin_form_data

    data = admin_form_data(staff_client.get(change_url(suggestion)))
    data.update(fields)
    return data


def test_the_queue_filters_by_status_and_counts_duplicates(staff_client):
    first = submit(UserFactory())
    submit(UserFactory(), title="Snow flower", title_ko="")
    SuggestionFactory(title="Alone", status=Suggestion.Status.REJECTED)
    response = staff_client.get(
        reverse("admin:catalog_suggestion_changelist"), {"status": "pending"}
    )
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert {row.title for row in rows} == {"Snow Flower", "Snow flower"}
    assert all(row.duplicates == 1 for row in rows)
    assert '<td class="field-duplicate_count">1</td>' in response.content.decode()
    page = staff_client.get(change_url(first)).content.decode()
    assert "other pending suggestions of this work" in page.lower()


def test_staff_approve_from_the_change_page(staff_client):
    suggestion = submit(UserFactory())
    data = decision_data(staff_client, suggestion, decision="approve", title="Snow Flower (live)")
    response = staff_client.post(change_url(suggestion), data)
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
    assert suggestion.work.title == "Snow Flower (live)"  # staff's correction is used


def test_approving_a_catalog_duplicate_in_admin_is_refused_with_a_hint(staff_client, in_catalog):
    suggestion = SuggestionFactory(title="You and I", artist_or_director="Park Bom")
    data = decision_data(staff_client, suggestion, decision="approve")
    response = staff_client.post(change_url(suggestion), data)
    assert response.status_code == 200
    # The service's own rule and words, shown on the form: the check exists once.
    assert "merge the suggestion into it instead" in response.content.decode()
    assert response.context["adminform"].form.non_field_errors()
    assert Work.objects.count() == 1


def test_a_refused_decision_in_admin_stores_none_of_the_edit(staff_client, monkeypatch):
    """The decision is taken through the service before anything is kept: when it is
    refused at save time (another moderator was quicker), staff's corrections are not
    stored either."""
    suggestion = submit(UserFactory())
    data = decision_data(staff_client, suggestion, decision="approve", title="Snow Flower (live)")

    def refused(**kwargs):
        raise ValidationError("“Snow Flower” was already decided (Approved).", code="decided")

    monkeypatch.setattr(services, "suggestion_approve", refused)
    response = staff_client.post(change_url(suggestion), data, follow=True)
    assert "already decided" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.title == "Snow Flower" and suggestion.is_pending
    assert not Work.objects.exists()


def test_corrections_without_a_decision_are_kept_and_refolded(staff_client):
    suggestion = submit(UserFactory())
    data = decision_data(staff_client, suggestion, title="First Snow")
    assert staff_client.post(change_url(suggestion), data).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.title == "First Snow" and suggestion.title_key == "firstsnow"
    assert suggestion.is_pending


def test_the_form_checks_the_shape_and_the_service_the_catalog():
    """Validation in one place each: letters in the title are the form's rule, a work
    already in the catalog is the service's."""
    from catalog.forms import SuggestionForm

    form = SuggestionForm(data=form_data(title="!!!", artist_or_director="..."))
    assert not form.is_valid()
    assert form.errors["title"] == ["Give the title in letters or digits."]
    assert form.errors["artist_or_director"] == [
        "Name the artist or director in letters or digits."
    ]


def test_staff_merge_into_a_chosen_work_and_reject_with_a_reason(staff_client, in_catalog):
    merged = SuggestionFactory(title="You & I", artist_or_director="Park Bom")
    response = staff_client.post(
        change_url(merged), decision_data(staff_client, merged, decision="merge")
    )
    assert response.status_code == 200  # no work picked
    assert "Pick the work" in response.content.decode()
    data = decision_data(staff_client, merged, decision="merge", work=str(in_catalog.pk))
    assert staff_client.post(change_url(merged), data).status_code == 302
    merged.refresh_from_db()
    assert merged.status == Suggestion.Status.MERGED and merged.work == in_catalog

    rejected = SuggestionFactory()
    response = staff_client.post(
        change_url(rejected), decision_data(staff_client, rejected, decision="reject")
    )
    assert response.status_code == 200
    assert "Give the member a reason" in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.is_pending
    data = decision_data(
        staff_client, rejected, decision="reject", staff_reason="Already on a list."
    )
    assert staff_client.post(change_url(rejected), data).status_code == 302
    rejected.refresh_from_db()
    assert rejected.status == Suggestion.Status.REJECTED
    assert rejected.staff_reason == "Already on a list."


def test_decided_suggestions_are_read_only_in_admin(staff_client):
    suggestion = SuggestionFactory()
    services.suggestion_reject(
        suggestion=suggestion,
        reason="Not Korean.",
        staff=get_user_model().objects.get(username="editor"),
    )
    response = staff_client.get(change_url(suggestion))
    assert "decision" not in response.context["adminform"].form.fields
    assert "title" not in response.context["adminform"].form.fields


def test_bulk_approval_reports_the_ones_it_refuses(staff_client, in_catalog):
    fresh = submit(UserFactory())
    clash = SuggestionFactory(title="You and I", artist_or_director="Park Bom")
    response = staff_client.post(
        reverse("admin:catalog_suggestion_changelist"),
        {"action": "approve", "_selected_action": [fresh.pk, clash.pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "Approved 1." in body and f"#{clash.pk}:" in body
    fresh.refresh_from_db()
    clash.refresh_from_db()
    assert fresh.status == Suggestion.Status.APPROVED and clash.is_pending
    assert Work.objects.count() == 2

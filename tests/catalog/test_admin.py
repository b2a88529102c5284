import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.models import EditorialList, Work
from tests.admin_forms import admin_form_data
from tests.factories import PersonFactory, WorkFactory
from tests.images import fake_upload, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-12345-x")
    client.force_login(admin)
    return client


def new_work_data(**overrides):
    data = {
        "kind": "film",
        "title": "Tears of the Winter Sea",
        "title_ko": "겨울 바다의 눈물",
        "slug": "tears-of-the-winter-sea",
        "year": "2019",
        "blurb": "A lighthouse keeper writes letters that are never sent.",
        "is_published": "on",
        "credits-TOTAL_FORMS": "1",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_staff_add_a_work_with_poster_and_credits_and_it_shows_on_the_site(staff_client, client):
    director = PersonFactory(name="Han Seo-yeon", slug="han-seo-yeon")
    data = new_work_data(
        poster=image_upload(size=(600, 900)),
        **{
            "credits-0-person": str(director.pk),
            "credits-0-role": "director",
            "credits-0-order": "0",
        },
    )
    response = staff_client.post(reverse("admin:catalog_work_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    work = Work.objects.get(slug="tears-of-the-winter-sea")
    assert work.credits.get().person == director
    assert work.poster_thumb.name.startswith("posters/thumbs/")

    page = client.get(work.get_absolute_url()).content.decode()
    assert "겨울 바다의 눈물" in page and "Han Seo-yeon" in page
    assert work.poster_thumb.url in page
    assert client.get(work.poster_thumb.url).status_code == 200
    assert (
        "Tears of the Winter Sea"
        in client.get(reverse("catalog:search"), {"q": "겨울 바다"}).content.decode()
    )


def test_a_fake_poster_is_refused_with_a_message_and_nothing_stored(staff_client):
    response = staff_client.post(
        reverse("admin:catalog_work_add"), new_work_data(poster=fake_upload())
    )
    assert response.status_code == 200
    assert (
        "Upload a valid image" in response.content.decode()
        or "not a readable" in response.content.decode()
    )
    assert not Work.objects.filter(slug="tears-of-the-winter-sea").exists()


def test_staff_unpublish_in_bulk_hides_works_from_the_site(staff_client, client):
    works = [WorkFactory(), WorkFactory()]
    response = staff_client.post(
        reverse("admin:catalog_work_changelist"),
        {"action": "unpublish", "_selected_action": [w.pk for w in works]},
    )
    assert response.status_code == 302
    assert client.get(works[0].get_absolute_url()).status_code == 404
    staff_client.post(
        reverse("admin:catalog_work_changelist"),
        {"action": "publish", "_selected_action": [works[0].pk]},
    )
    assert client.get(works[0].get_absolute_url()).status_code == 200


def test_a_bulk_unpublish_reaches_the_pages_members_see_from_kept_fragments(staff_client):
    from django.test import Client

    from tests.factories import UserFactory

    work = WorkFactory(title="Vanishing Tearjerker")
    member = Client()
    member.force_login(UserFactory())
    assert "Vanishing Tearjerker" in member.get("/works/").content.decode()
    staff_client.post(
        reverse("admin:catalog_work_changelist"),
        {"action": "unpublish", "_selected_action": [work.pk]},
    )
    # The works index is a fragment kept under the site version: the action must bump it.
    assert "Vanishing Tearjerker" not in member.get("/works/").content.decode()


def test_staff_reorder_and_rerank_list_entries(staff_client, client, founding_lists):
    editorial_list = EditorialList.objects.get(slug="korean-movies-in-tears")
    change_url = reverse("admin:catalog_editoriallist_change", args=[editorial_list.pk])
    data = admin_form_data(staff_client.get(change_url))
    # Swap the first two entries: new order and new ranks, as typed by an editor.
    data["entries-0-order"], data["entries-1-order"] = (
        data["entries-1-order"],
        data["entries-0-order"],
    )
    data["entries-0-position"], data["entries-1-position"] = "2", "1"
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    ranked = client.get(editorial_list.get_absolute_url()).context["ranked"]
    titles = [entry.works.all()[0].title for entry in ranked[:2]]
    assert titles == ["A Moment to Remember", "Miracle in Cell No. 7"]
    assert [entry.position for entry in ranked[:2]] == [1, 2]


def test_admin_search_and_filters_answer(staff_client, founding_lists):
    changelist = reverse("admin:catalog_work_changelist")
    response = staff_client.get(changelist, {"q": "Gong Yoo"})
    assert [w.title for w in response.context["cl"].result_list] == ["Train to Busan"]
    response = staff_client.get(changelist, {"kind__exact": "drama"})
    assert [w.title for w in response.context["cl"].result_list] == ["Good Doctor"]
    autocomplete = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "credit", "field_name": "person", "term": "son ye"},
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == ["Son Ye-jin"]


def test_anonymous_visitors_cannot_reach_admin(client):
    response = client.get(reverse("admin:catalog_work_add"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(reverse("admin:catalog_work_add"), new_work_data())
    assert response.status_code == 302
    assert not Work.objects.exists()


def test_an_entry_without_works_or_artists_is_refused(staff_client, founding_lists):
    editorial_list = EditorialList.objects.get(slug="korean-movies-in-tears")
    change_url = reverse("admin:catalog_editoriallist_change", args=[editorial_list.pk])
    data = admin_form_data(staff_client.get(change_url))
    data.pop("entries-0-works")
    response = staff_client.post(change_url, data)
    assert response.status_code == 200
    assert "Give the entry at least one work or an artist." in response.content.decode()
    assert editorial_list.entries.get(position=1).works.count() == 1


def reorder(data, prefix, moves):
    """Give the inline forms new `order` values as a drag would: `moves` lists form
    indexes in their new order."""
    for new_order, index in enumerate(moves, start=1):
        data[f"{prefix}-{index}-order"] = str(new_order)
    return data


def test_a_drag_renumbers_the_ranks_in_the_new_order(staff_client, founding_lists):
    """Dragging #11 above #1 must not leave the list reading #11, #1, #2, #3: the numbers
    follow the new order, the list keeping the ones it quotes from its source."""
    editorial_list = EditorialList.objects.get(slug="tearjerker-ballads")
    before = list(editorial_list.entries.order_by("order"))
    change_url = reverse("admin:catalog_editoriallist_change", args=[editorial_list.pk])
    data = admin_form_data(staff_client.get(change_url))
    eleven = next(i for i, e in enumerate(before) if e.position == 11)
    moves = [eleven, *(i for i in range(len(before)) if i != eleven)]
    response = staff_client.post(change_url, reorder(data, "entries", moves))
    assert response.status_code == 302, response.context["adminform"].form.errors

    after = list(editorial_list.entries.order_by("order"))
    assert after[0].pk == before[eleven].pk
    assert [e.position for e in after if e.is_ranked] == [1, 2, 3, 11, 12, 13, 14]
    assert after[0].position == 1 and after[1].pk == before[0].pk and after[1].position == 2
    assert all(e.position is None for e in after if not e.is_ranked)
    assert [e.order for e in after] == list(range(1, len(after) + 1))


def test_a_countdown_keeps_counting_down_after_a_drag(staff_client, founding_lists):
    editorial_list = EditorialList.objects.get(slug="top-10-saddest-kpop-mvs")
    before = list(editorial_list.entries.order_by("order"))
    change_url = reverse("admin:catalog_editoriallist_change", args=[editorial_list.pk])
    data = admin_form_data(staff_client.get(change_url))
    # Drag the last entry (#1) to the top: it now opens the countdown, as #10.
    moves = [len(before) - 1, *range(len(before) - 1)]
    response = staff_client.post(change_url, reorder(data, "entries", moves))
    assert response.status_code == 302
    after = list(editorial_list.entries.order_by("order"))
    assert after[0].pk == before[-1].pk
    assert [e.position for e in after if e.is_ranked] == list(range(10, 0, -1))
    assert all(e.position is None for e in after if not e.is_ranked)


def test_renumbering_is_a_service_that_numbers_1_to_n_when_ranks_clash():
    from catalog import services
    from tests.factories import EditorialListFactory, ListEntryFactory

    editorial_list = EditorialListFactory(is_countdown=False)
    entries = [
        ListEntryFactory(editorial_list=editorial_list, order=1, position=3),
        ListEntryFactory(editorial_list=editorial_list, order=2, position=3),
        ListEntryFactory(
            editorial_list=editorial_list, order=3, position=5, is_honourable_mention=True
        ),
        ListEntryFactory(editorial_list=editorial_list, order=4, position=1),
    ]
    assert services.list_entries_renumber(editorial_list) == 4
    positions = [e.position for e in editorial_list.entries.order_by("order")]
    assert positions == [1, 2, None, 3]
    assert services.list_entries_renumber(editorial_list) == 0
    assert len(entries) == 4


def test_related_list_titles_are_edited_one_per_line(staff_client, founding_lists):
    editorial_list = EditorialList.objects.get(slug="korean-movies-in-tears")
    assert editorial_list.related_list_titles == []
    change_url = reverse("admin:catalog_editoriallist_change", args=[editorial_list.pk])
    response = staff_client.get(change_url)
    page = response.content.decode()
    assert "[]" not in page
    assert "catalog/admin.css" in page  # the stylesheet that keeps the inline table in the page
    data = admin_form_data(response)
    data["related_list_titles"] = "Tearjerker ballads\n\n  Songs for a rainy day  \n"
    assert staff_client.post(change_url, data).status_code == 302
    editorial_list.refresh_from_db()
    assert editorial_list.related_list_titles == ["Tearjerker ballads", "Songs for a rainy day"]
    page = staff_client.get(change_url).content.decode()
    assert "Tearjerker ballads\nSongs for a rainy day</textarea>" in page

import pytest
from django.urls import reverse

from catalog.models import Work
from tests.factories import CreditFactory, EditorialListFactory, ListEntryFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_home_shows_lists_and_new_works(client, founding_lists):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Top 10 Saddest K-Pop Music Videos" in body
    assert len(response.context["works"]) == 8  # the newly added cards


def test_works_filter_by_kind_and_decade(client, founding_lists):
    films = client.get(reverse("catalog:works"), {"kind": "film"}).context["page_obj"]
    assert films.paginator.count == Work.objects.filter(kind="film").count() == 9
    noughties = client.get(reverse("catalog:works"), {"decade": "2000s"}).context["page_obj"]
    assert {w.year for w in noughties.object_list} <= set(range(2000, 2010))
    assert noughties.paginator.count == Work.objects.filter(year__range=(2000, 2009)).count()


def test_works_are_paginated_and_keep_filters_in_links(client, settings):
    settings.KCRY_WORKS_PER_PAGE = 2
    for n in range(5):
        WorkFactory(kind="film", title=f"Film {n}", slug=f"film-{n}")
    first = client.get(reverse("catalog:works"), {"kind": "film"})
    assert len(first.context["works"]) == 2
    assert 'href="?kind=film&amp;page=2"' in first.content.decode()
    last = client.get(reverse("catalog:works"), {"kind": "film", "page": 3})
    assert [w.title for w in last.context["works"]] == ["Film 4"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"kind": "opera"}, "Kind: there is no “opera”; the choices are: mv – Music video;"),
        ({"decade": "abc"}, "Decade: Enter a whole number"),
        ({"decade": "2015"}, "Decade: A decade is a year ending in 0"),
        ({"decade": "1"}, "Decade: A decade is a year ending in 0"),
        ({"page": "two"}, "There is no page “two”: pages are numbered from 1."),
        ({"page": "0"}, "There is no page “0”: pages are numbered from 1."),
        ({"page": "-1"}, "There is no page “-1”: pages are numbered from 1."),
    ],
)
def test_bad_work_filters_get_a_clear_400(client, params, message):
    response = client.get(reverse("catalog:works"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_page_past_the_end_is_404(client):
    WorkFactory()
    response = client.get(reverse("catalog:works"), {"page": 7})
    assert response.status_code == 404
    assert "There is no page 7: the last page is 1." in response.content.decode()


def test_work_page_shows_facts_credits_lists_and_folded_content_notes(client, founding_lists):
    response = client.get(reverse("work", args=["you-and-i"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Park Bom" in body
    assert '<details class="content-notes" id="content-notes">' in body
    assert "Terminal illness" in body
    # The warning comes before anything else in the article.
    assert body.index("content-notes") < body.index('id="work-title"')
    assert "Top 10 Saddest K-Pop Music Videos" in body and "#10" in body


def test_work_page_groups_film_credits_by_role(client, founding_lists):
    response = client.get(reverse("work", args=["train-to-busan"]))
    roles = dict(response.context["credits_by_role"])
    assert [c.person.name for c in roles["Director"]] == ["Yeon Sang-ho"]
    assert "Gong Yoo" in [c.person.name for c in roles["Cast"]]
    assert "20 July 2016" in response.content.decode()


def test_unknown_and_unpublished_works_are_404(client):
    hidden = WorkFactory(is_published=False)
    assert client.get(reverse("work", args=["no-such-work"])).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_person_page_groups_credits_by_role(client, founding_lists):
    response = client.get(reverse("catalog:person", args=["son-ye-jin"]))
    assert response.status_code == 200
    roles = dict(response.context["credits_by_role"])
    assert sorted(c.work.title for c in roles["Cast"]) == ["A Moment to Remember", "Be With You"]
    assert client.get(reverse("catalog:person", args=["nobody"])).status_code == 404


def test_list_page_shows_countdown_then_mentions_apart(client, founding_lists):
    response = client.get(reverse("list", args=["top-10-saddest-kpop-mvs"]))
    assert response.status_code == 200
    assert [e.position for e in response.context["ranked"]] == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert len(response.context["honourable"]) == 5
    body = response.content.decode()
    assert body.index(">#10</span>") < body.index(">#1</span>") < body.index("Honourable mentions")


def test_list_page_shows_artist_mentions_in_also_recommended(client, founding_lists):
    response = client.get(reverse("list", args=["tissues-and-tears-mvs"]))
    assert len(response.context["also_recommended"]) == 7
    assert "Anything by" in response.content.decode()


def test_lists_index_and_unpublished_list(client, founding_lists):
    hidden = EditorialListFactory(is_published=False)
    response = client.get(reverse("catalog:lists"))
    assert len(response.context["lists"]) == 5
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_unpublished_work_is_left_out_of_a_published_list(client):
    shown, hidden = WorkFactory(title="Shown"), WorkFactory(title="Hidden", is_published=False)
    entry = ListEntryFactory(works=[shown, hidden])
    body = client.get(entry.editorial_list.get_absolute_url()).content.decode()
    assert "Shown" in body and "Hidden" not in body


def test_titles_and_names_are_escaped(client):
    work = WorkFactory(title="<script>alert(1)</script>", slug="xss")
    CreditFactory(work=work)
    body = client.get(work.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body

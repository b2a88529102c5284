import pytest
from django.urls import reverse

from catalog.models import Person, Work
from catalog.text import compact
from tests.factories import CreditFactory, PersonFactory, WorkFactory

pytestmark = pytest.mark.django_db


def search_titles(query):
    return [work.title for work in Work.objects.published().search(query)]


def test_compact_folds_case_accents_spacing_and_keeps_hangul():
    assert compact("Kim Ji-Eun") == compact("kim jieun") == "kimjieun"
    assert compact("Salut D’Amour") == compact("salut damour")
    assert compact("그때 헤어지면 돼") == "그때헤어지면돼"


def test_a_fragment_of_a_hangul_phrase_finds_the_work(founding_lists):
    assert search_titles("헤어지면") == ["Only then"]
    assert search_titles("아파서") == ["It's unbearably painful"]


def test_search_matches_people_in_either_script(founding_lists):
    assert "SOFA" in search_titles("크러쉬")
    assert set(search_titles("son ye-jin")) == {"A Moment to Remember", "Be With You"}
    assert "Miracle in Cell No. 7" in search_titles("RYOO seung ryong")


def test_search_is_accent_insensitive(founding_lists):
    assert search_titles("salut d'amour") == search_titles("SALUT DÀMOUR") == ["Salut D'Amour"]


def test_exact_title_outranks_partial_matches():
    WorkFactory(title="Heaven Knows Why", slug="heaven-knows-why")
    WorkFactory(title="In Heaven", slug="in-heaven")
    WorkFactory(title="Heaven", slug="heaven")
    # A work found only through a person's name ranks last.
    CreditFactory(
        work=WorkFactory(title="Goodbye", slug="goodbye"), person=PersonFactory(name="Heaven Band")
    )
    assert search_titles("heaven") == ["Heaven", "Heaven Knows Why", "In Heaven", "Goodbye"]


def test_every_term_must_match_title_or_person():
    work = WorkFactory(title="Wedding Dress", slug="wedding-dress")
    CreditFactory(work=work, person=PersonFactory(name="Taeyang", name_ko="태양"))
    WorkFactory(title="Wedding Bells", slug="wedding-bells")
    assert search_titles("wedding taeyang") == ["Wedding Dress"]
    assert search_titles("태양 dress") == ["Wedding Dress"]


def test_unpublished_works_are_not_found():
    WorkFactory(title="Hidden Tears", slug="hidden-tears", is_published=False)
    assert search_titles("hidden") == []


def test_search_page_lists_works_and_people(client, founding_lists):
    response = client.get(reverse("catalog:search"), {"q": "헤어지면"})
    assert response.status_code == 200
    assert [w.title for w in response.context["works"]] == ["Only then"]
    people = client.get(reverse("catalog:search"), {"q": "로이킴"}).context["people"]
    assert [p.name for p in people] == ["Roy Kim"]
    assert Person.objects.matching("   ").count() == 0


def test_search_page_without_query_shows_the_form_only(client, db):
    response = client.get(reverse("catalog:search"))
    assert response.status_code == 200
    assert 'id="work-results"' not in response.content.decode()
    assert "catalog/_search_results.html" not in [t.name for t in response.templates]


def test_overlong_query_is_a_clear_400(client, db):
    response = client.get(reverse("catalog:search"), {"q": "눈물" * 60})
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()

import pytest
import time_machine

from tests.factories import UserFactory, WorkFactory, rate
from votes.models import WorkStats
from votes.stats import refresh_scores

pytestmark = pytest.mark.django_db


def give(work, *values):
    for value in values:
        rate(UserFactory(), work, value)


def slugs(response):
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def hand_example(settings):
    """Four works, hand-computed with m = 5.

    ratings: one-five 5 | many-fours 4 x8 | twos 2 x4 | ones 1 x6
    C = (5 + 32 + 8 + 6) / 19 = 51/19, m·C = 255/19
    one-five   (5 + 255/19) / 6   = 350/114 = 3.070
    many-fours (32 + 255/19) / 13 = 863/247 = 3.494
    twos       (8 + 255/19) / 9   = 407/171 = 2.380
    ones       (6 + 255/19) / 11  = 369/209 = 1.766
    """
    settings.KCRY_RANKING_MIN_RATINGS = 5
    works = {
        slug: WorkFactory(slug=slug, title=slug.title())
        for slug in ["one-five", "many-fours", "twos", "ones"]
    }
    give(works["one-five"], 5)
    give(works["many-fours"], *[4] * 8)
    give(works["twos"], *[2] * 4)
    give(works["ones"], *[1] * 6)
    refresh_scores()
    return works


def test_single_five_does_not_outrank_many_fours(client, hand_example):
    response = client.get("/api/rankings/")
    assert response.status_code == 200
    assert slugs(response) == ["many-fours", "one-five", "twos", "ones"]
    scores = [row["rating"]["score"] for row in response.json()["results"]]
    assert scores == [
        round(863 / 247, 3),
        round(350 / 114, 3),
        round(407 / 171, 3),
        round(369 / 209, 3),
    ]
    assert [row["position"] for row in response.json()["results"]] == [1, 2, 3, 4]


def test_stored_scores_match_the_hand_computation(hand_example):
    stored = {s.work.slug: s.score for s in WorkStats.objects.select_related("work")}
    assert stored == pytest.approx(
        {"one-five": 350 / 114, "many-fours": 863 / 247, "twos": 407 / 171, "ones": 369 / 209}
    )


def test_ties_are_broken_by_rating_count_then_title(client, settings):
    settings.KCRY_RANKING_MIN_RATINGS = 5
    # Every rating is 3, so C = 3 and every score is exactly 3.0.
    give(WorkFactory(slug="b", title="Beta"), 3)
    give(WorkFactory(slug="a", title="Alpha"), 3)
    give(WorkFactory(slug="c", title="Gamma"), 3, 3)
    refresh_scores()
    assert slugs(client.get("/api/rankings/")) == ["c", "a", "b"]


def test_filters_kind_decade_year_and_minimum_ratings(client, hand_example):
    WorkStats.objects.all()  # figures exist for all four
    film = WorkFactory(slug="film-2003", kind="film", year=2003)
    give(film, 3, 3)
    refresh_scores()
    assert slugs(client.get("/api/rankings/?kind=film")) == ["film-2003"]
    assert slugs(client.get("/api/rankings/?decade=2000s")) == ["film-2003"]
    assert slugs(client.get("/api/rankings/?year=2003")) == ["film-2003"]
    assert slugs(client.get("/api/rankings/?year=2012&kind=mv")) == [
        "many-fours",
        "one-five",
        "twos",
        "ones",
    ]
    assert slugs(client.get("/api/rankings/?min_ratings=5")) == ["many-fours", "ones"]


def test_most_rated_and_newest_orders(client, hand_example):
    unrated = WorkFactory(slug="brand-new")
    assert slugs(client.get("/api/rankings/?order=most-rated")) == [
        "many-fours",
        "ones",
        "twos",
        "one-five",
    ]
    newest = slugs(client.get("/api/rankings/?order=newest"))
    assert newest[0] == unrated.slug  # newest additions include works nobody rated yet
    assert len(newest) == 5


def test_unpublished_works_are_not_ranked(client, hand_example):
    hand_example["many-fours"].is_published = False
    hand_example["many-fours"].save()
    assert "many-fours" not in slugs(client.get("/api/rankings/"))


def test_rising_weighs_the_last_30_days_more(client, settings):
    settings.KCRY_RANKING_MIN_RATINGS = 2
    old_favourite = WorkFactory(slug="old-favourite")
    newcomer = WorkFactory(slug="newcomer")
    forgotten = WorkFactory(slug="forgotten")
    with time_machine.travel("2025-01-05 12:00 +09:00", tick=False):
        give(old_favourite, 5, 5, 5, 5)
        give(forgotten, 5, 5)
    with time_machine.travel("2025-03-01 12:00 +09:00", tick=False):
        give(old_favourite, 2)
        give(newcomer, 4, 4)
        refresh_scores()
        # All time, the newcomer comes last (C = 40/9, m = 2):
        # forgotten 4.72 > old-favourite 4.41 > newcomer 4.22.
        assert slugs(client.get("/api/rankings/")) == ["forgotten", "old-favourite", "newcomer"]
        rising = client.get("/api/rankings/?order=rising").json()["results"]
    # With the last 30 days counted 3 times: newcomer (24 + 80/9) / 8 = 4.11 beats
    # old-favourite (26 + 80/9) / 9 = 3.88; forgotten had no recent rating.
    assert [row["slug"] for row in rising] == ["newcomer", "old-favourite"]
    assert rising[0]["rising_score"] == round((24 + 80 / 9) / 8, 3)
    assert [row["recent_ratings"] for row in rising] == [2, 1]


def test_rankings_page_lists_positions_and_figures(client, hand_example):
    response = client.get("/rankings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Many-Fours") < html.index("One-Five")
    assert "3.49" in html
    assert client.get("/rankings/?order=rising").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "kind=opera",
        "decade=2015",
        "decade=soon",
        "year=12",
        "min_ratings=-1",
        "order=best",
        "page=zero",
    ],
)
def test_bad_ranking_parameters_answer_400(client, query):
    page = client.get(f"/rankings/?{query}")
    assert page.status_code == 400
    api = client.get(f"/api/rankings/?{query}")
    assert api.status_code == 400
    assert "error" in api.json()


def test_rankings_api_errors_are_json(client):
    assert client.get("/api/rankings/?page=9").status_code == 404
    response = client.post("/api/rankings/")
    assert response.status_code == 405
    assert response.json()["error"]


def test_work_api_includes_rating_figures(client):
    work = WorkFactory(slug="counted")
    give(work, 4, 2)
    answer = client.get("/api/works/counted/").json()["rating"]
    assert answer["count"] == 2
    assert answer["mean"] == 3
    assert answer["histogram"] == {"0": 0, "1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert client.get(f"/api/works/{WorkFactory().slug}/").json()["rating"]["count"] == 0


def test_an_unknown_order_names_the_valid_ones(client):
    """The README once said ?order=rated; the one name is most-rated, and a wrong name
    gets a 400 listing every valid one, on the page and in the API."""
    page = client.get("/rankings/?order=rated")
    api = client.get("/api/rankings/?order=rated")
    assert page.status_code == api.status_code == 400
    for message in (page.content.decode(), api.json()["error"]):
        assert "rated" in message
        for value in ("score", "most-rated", "newest", "rising"):
            assert value in message
    assert client.get("/rankings/?order=most-rated").status_code == 200


def test_a_fresh_site_says_nothing_is_rated_yet_rather_than_blaming_filters(client):
    WorkFactory()
    body = client.get("/rankings/").content.decode()
    assert "No works have been rated yet: rate a few and they appear here." in body
    assert "Try fewer filters" not in body
    filtered = client.get("/rankings/?kind=film").content.decode()
    assert "Try fewer filters" in filtered


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-1"])
def test_a_bad_ranking_page_number_is_a_400_in_people_s_words(client, query):
    response = client.get(f"/rankings/?{query}")
    assert response.status_code == 400
    assert "pages are numbered from 1." in response.content.decode()


def test_a_score_refresh_shows_on_kept_rankings_at_once(client, settings):
    """refresh_scores rewrites every score with a new C: the kept ranking rows and the
    explanation's C follow at once, not after KCRY_FRAGMENT_CACHE_SECONDS."""
    settings.KCRY_RANKING_MIN_RATINGS = 10
    WorkStats.objects.all().delete()
    rate(UserFactory(), WorkFactory(title="Only Work"), 5)
    refresh_scores()
    client.force_login(UserFactory())
    before = client.get("/rankings/").content.decode()
    assert "C = 5.00 tissues" in before
    WorkStats.objects.update(total=1)  # as a recount's fix changes the stored figures
    refresh_scores()
    after = client.get("/rankings/").content.decode()
    assert "C = 1.00 tissues" in after

import pytest
from django.urls import reverse

from tests.factories import UserFactory, WorkFactory
from votes.services import rating_set

pytestmark = pytest.mark.django_db


def test_work_index_is_paginated_with_count_next_previous(client, settings, founding_lists):
    settings.KCRY_API_PAGE_SIZE = 10
    first = client.get(reverse("catalog:api-works")).json()
    assert first["count"] == 47
    assert first["previous"] is None
    assert first["next"].endswith("/api/works/?page=2")
    assert len(first["results"]) == 10
    second = client.get(first["next"]).json()
    assert second["previous"].endswith("/api/works/?page=1")
    assert not {w["slug"] for w in first["results"]} & {w["slug"] for w in second["results"]}


def test_work_index_filters_by_kind_and_query(client, founding_lists):
    dramas = client.get(reverse("catalog:api-works"), {"kind": "drama"}).json()
    assert [w["slug"] for w in dramas["results"]] == ["good-doctor"]
    found = client.get(reverse("catalog:api-works"), {"q": "헤어지면"}).json()
    assert [w["title_ko"] for w in found["results"]] == ["그때 헤어지면 돼"]
    assert found["results"][0]["artists"] == ["Roy Kim"]


def test_work_detail_has_facts_credits_and_list_ranks(client, founding_lists):
    answer = client.get(reverse("api-work", args=["haru-haru"])).json()
    assert answer["title"] == "Haru Haru" and answer["year"] == 2008
    assert {"person": "BIGBANG", "slug": "bigbang", "role": "artist"} in answer["credits"]
    ranks = {entry["slug"]: entry["rank"] for entry in answer["lists"]}
    assert ranks["top-10-saddest-kpop-mvs"] == 1


def test_work_detail_carries_the_stored_rating_figures(client):
    work = WorkFactory()
    rating_set(member=UserFactory(), work=work, tears=4)
    rating = client.get(reverse("api-work", args=[work.slug])).json()["rating"]
    assert rating["count"] == 1
    assert rating["histogram"]["4"] == 1


def test_list_detail_keeps_source_order_and_two_video_entry(client, founding_lists):
    answer = client.get(reverse("catalog:api-list", args=["top-10-saddest-kpop-mvs"])).json()
    assert answer["is_countdown"] is True
    ranks = [e["rank"] for e in answer["entries"]]
    assert ranks[:9] == [10, 9, 8, 7, 6, 5, 4, 3, 2] and ranks[-1] == 1
    eighth = next(e for e in answer["entries"] if e["rank"] == 8)
    assert [w["title"] for w in eighth["works"]] == ["Hello", "I Told You I Wanna Die"]
    assert sum(e["honourable_mention"] for e in answer["entries"]) == 5


def test_list_index(client, founding_lists):
    answer = client.get(reverse("catalog:api-lists")).json()
    assert answer["count"] == 5 and len(answer["results"]) == 5


@pytest.mark.parametrize(
    "url, params, status, message",
    [
        ("/api/works/", {"kind": "opera"}, 400, "Kind: there is no “opera”"),
        ("/api/works/", {"decade": "19x0"}, 400, "Decade: "),
        ("/api/works/", {"page": "last"}, 400, "pages are numbered from 1"),
        ("/api/works/", {"page": "99"}, 404, "no page 99"),
        ("/api/works/", {"q": "x" * 101}, 400, "at most 100"),
        ("/api/works/no-such-work/", {}, 404, "There is no work"),
        ("/api/lists/no-such-list/", {}, 404, "There is no list"),
        ("/api/nothing-here/", {}, 404, "does not exist"),
    ],
)
def test_api_errors_are_json_with_the_right_status(client, url, params, status, message):
    response = client.get(url, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]


def test_api_refuses_writes_with_json_405(client):
    response = client.post(reverse("catalog:api-works"), {"title": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "use GET" in response.json()["error"]

import pytest
from django.test import Client

from tests.factories import EditorialListFactory, ListEntryFactory, UserFactory, WorkFactory, rate
from votes.models import ListReaction, Rating, WorkStats

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def member(client):
    user = UserFactory(username="mina")
    client.force_login(user)
    return user


@pytest.fixture
def work():
    return WorkFactory(slug="haru-haru", title="Haru Haru")


def url(work):
    return f"/works/{work.slug}/rating/"


def test_rating_with_the_plain_form_redirects_back_with_a_message(client, member, work):
    response = client.post(url(work), {"tears": "4"}, follow=True)
    assert response.redirect_chain == [("/works/haru-haru/#tear-rating", 302)]
    assert "You rated Haru Haru: 4 – Crying." in response.content.decode()
    assert Rating.objects.get(member=member, work=work).tears == 4
    assert WorkStats.objects.get(pk=work.pk).c4 == 1


def test_changing_then_withdrawing_with_an_empty_value(client, member, work):
    client.post(url(work), {"tears": "1"})
    client.post(url(work), {"tears": "5"})
    assert WorkStats.objects.get(pk=work.pk).counts == [0, 0, 0, 0, 0, 1]
    response = client.post(url(work), {"tears": ""}, follow=True)
    assert "Your rating was withdrawn." in response.content.decode()
    assert not Rating.objects.exists()
    assert WorkStats.objects.get(pk=work.pk).n == 0


def test_json_write_answers_figures_and_words_without_html(client, member, work):
    rate(UserFactory(), work, 2)
    response = client.post(url(work), {"tears": "4"}, **JSON)
    assert response.status_code == 200
    answer = response.json()
    assert answer["tears"] == 4
    assert answer["stats"]["count"] == 2
    assert answer["stats"]["histogram"] == {"0": 0, "1": 0, "2": 1, "3": 0, "4": 1, "5": 0}
    assert answer["previous"] is None  # "Undo" withdraws a first rating
    assert "html" not in answer  # the page's script updates the panel from the figures
    assert answer["texts"] == {"count": "2 ratings", "total": "6 tissues in all"}
    changed = client.post(url(work), {"tears": "1"}, **JSON).json()
    assert (changed["previous"], changed["tears"]) == (4, 1)
    withdrawn = client.post(url(work), {"tears": ""}, **JSON).json()
    assert withdrawn["tears"] is None
    assert withdrawn["stats"]["count"] == 1


@pytest.mark.parametrize("value", ["6", "-1", "2.5", "three", "１", "3 4", "03", "x" * 500])
def test_malformed_or_out_of_range_tears_get_400_and_store_nothing(client, member, work, value):
    response = client.post(url(work), {"tears": value})
    assert response.status_code == 400
    assert "tears" in response.content.decode()
    json_response = client.post(url(work), {"tears": value}, **JSON)
    assert json_response.status_code == 400
    assert "0 to 5" in json_response.json()["error"]
    assert not Rating.objects.exists()


def test_missing_tears_field_gets_400(client, member, work):
    assert client.post(url(work), {}, **JSON).status_code == 400
    assert not Rating.objects.exists()


def test_unknown_or_unpublished_work_gets_404(client, member):
    assert client.post("/works/no-such-work/rating/", {"tears": "3"}).status_code == 404
    hidden = WorkFactory(is_published=False)
    response = client.post(url(hidden), {"tears": "3"}, **JSON)
    assert response.status_code == 404
    assert response.json()["error"]
    assert not Rating.objects.exists()


def test_get_is_not_allowed(client, member, work):
    response = client.get(url(work))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert client.get(url(work), **JSON).json()["error"]


def test_anonymous_rating_is_sent_to_log_in_and_back(client, work):
    response = client.post(url(work), {"tears": "3"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/works/haru-haru/"
    json_response = client.post(url(work), {"tears": "3"}, **JSON)
    assert json_response.status_code == 401
    assert json_response.json()["login_url"] == "/accounts/login/?next=/works/haru-haru/"
    assert not Rating.objects.exists()


def test_posts_without_csrf_token_are_refused(work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(url(work), {"tears": "3"})
    assert response.status_code == 403
    json_response = client.post(url(work), {"tears": "3"}, **JSON)
    assert json_response.status_code == 403
    assert "expired" in json_response.json()["error"]
    assert not Rating.objects.exists()


def test_work_page_shows_score_count_histogram_and_own_rating(client, member, work):
    for value in (5, 5, 3):
        rate(UserFactory(), work, value)
    rate(member, work, 2)
    html = client.get(work.get_absolute_url()).content.decode()
    assert "4 ratings" in html
    assert "5 · Sobbing" in html and "(<span data-bar-percent>50</span>%)" in html  # two of four
    assert "Your rating: 2 – One tear" in html
    assert 'value="2" class="tissue-choice" aria-pressed="true"' in html
    assert "Withdraw my rating" in html
    assert "votes/rating.js" in html


def test_work_page_asks_visitors_to_log_in_to_rate(client, work):
    html = client.get(work.get_absolute_url()).content.decode()
    assert "No ratings yet." in html
    assert "/accounts/login/?next=/works/haru-haru/" in html
    # Visitors may pick a value: a GET form (no token on anonymous pages) that keeps it.
    assert '<form class="tear-form" method="get" action="/works/haru-haru/rating/later/">' in html
    assert "csrfmiddlewaretoken" not in html


def test_list_page_shows_editors_and_community_positions(client):
    editorial_list = EditorialListFactory(slug="sad")
    first = WorkFactory(title="Editors First")
    second = WorkFactory(title="Community First")
    ListEntryFactory(editorial_list=editorial_list, position=1, works=[first])
    ListEntryFactory(editorial_list=editorial_list, position=2, works=[second])
    for _ in range(3):
        rate(UserFactory(), first, 1)
        rate(UserFactory(), second, 5)
    html = client.get("/lists/sad/").content.decode()
    table = html[html.index('class="rank-compare"') :]
    rows = {
        title: next(row for row in table.split("<tr>") if title in row)
        for title in ("Editors First", "Community First")
    }
    # Editors #1 is the community's #2 (one place lower), and the other way round.
    assert "<td>#1</td>" in rows["Editors First"]
    assert "<td>#2 " in rows["Editors First"] and "▼1" in rows["Editors First"]
    assert "<td>#2</td>" in rows["Community First"]
    assert "<td>#1 " in rows["Community First"] and "▲1" in rows["Community First"]


def test_list_reaction_form_and_counts(client, member):
    editorial_list = EditorialListFactory(
        slug="feel", reactions_prompt="How does this article make you feel?"
    )
    response = client.post("/lists/feel/reaction/", {"reaction": "sobbing"}, follow=True)
    assert response.redirect_chain == [("/lists/feel/#reactions", 302)]
    html = response.content.decode()
    assert "How does this article make you feel?" in html
    assert 'value="sobbing" class="reaction" aria-pressed="true"' in html
    assert ListReaction.objects.get(member=member, editorial_list=editorial_list).reaction == (
        "sobbing"
    )
    answer = client.post("/lists/feel/reaction/", {"reaction": "moved"}, **JSON).json()
    assert answer["counts"]["moved"] == 1 and answer["counts"]["sobbing"] == 0
    assert answer["total_text"] == "1 reaction"


def test_pressing_your_reaction_again_takes_it_back(client, member):
    EditorialListFactory(slug="feel")
    client.post("/lists/feel/reaction/", {"reaction": "moved"})
    answer = client.post("/lists/feel/reaction/", {"reaction": "moved"}, **JSON).json()
    assert answer["reaction"] is None and answer["counts"]["moved"] == 0
    assert answer["total_text"] == "0 reactions"
    assert not ListReaction.objects.exists()
    html = client.post("/lists/feel/reaction/", {"reaction": "moved"}, follow=True)
    assert 'value="moved" class="reaction" aria-pressed="true"' in html.content.decode()


def test_reactions_show_drawn_marks_not_emoji(client, member):
    """Emoji showed as empty boxes where the system has no emoji font."""
    EditorialListFactory(slug="feel")
    for who in (client, Client()):
        html = who.get("/lists/feel/").content.decode()
        section = html[html.index('<section class="reactions"') :]
        section = section[: section.index("</section>")]
        assert section.count('<svg class="reaction-icon"') == 5
        assert not any(ord(ch) >= 0x1F000 for ch in section)


def test_bad_reactions_unknown_lists_and_anonymous_reactions(client):
    EditorialListFactory(slug="feel")
    response = client.post("/lists/feel/reaction/", {"reaction": "moved"})
    assert response["Location"] == "/accounts/login/?next=/lists/feel/"
    client.force_login(UserFactory())
    assert client.post("/lists/feel/reaction/", {"reaction": "furious"}).status_code == 400
    assert client.post("/lists/feel/reaction/", {}).status_code == 400
    assert client.post("/lists/nope/reaction/", {"reaction": "moved"}).status_code == 404
    assert not ListReaction.objects.exists()


def test_community_table_follows_the_list_ranked_first_then_mentions(client):
    """A countdown's table reads #3, #2, #1, then the honourable mention, even when the
    source placed the mention between #2 and #1."""
    editorial_list = EditorialListFactory(slug="countdown", is_countdown=True)
    for order, (position, mention, title) in enumerate(
        [(3, False, "Third"), (2, False, "Second"), (None, True, "Mention"), (1, False, "First")]
    ):
        ListEntryFactory(
            editorial_list=editorial_list,
            order=order,
            position=position,
            is_honourable_mention=mention,
            works=[WorkFactory(title=title)],
        )
    rows = client.get("/lists/countdown/").context["rows"]  # the table as rendered
    assert [row["work"].title for row in rows] == ["Third", "Second", "First", "Mention"]
    editorial_list.is_countdown = False
    editorial_list.save()
    rows = client.get("/lists/countdown/").context["rows"]  # the table as rendered
    assert [row["work"].title for row in rows] == ["First", "Second", "Third", "Mention"]


def test_work_panel_leads_with_what_members_gave_not_the_ranking_score(client, settings):
    """ "You and I", rated once with 1 – Misty, showed "3.50 community score": the
    panel now leads with the average tissues and how many ratings; the weighted score
    is shown only where it ranks."""
    settings.KCRY_RANKING_MIN_RATINGS = 5
    work = WorkFactory(slug="you-and-i")
    rate(UserFactory(), work, 1)
    html = client.get(work.get_absolute_url()).content.decode()
    panel = html[html.index('class="tear-score"') :]
    assert '<strong data-stat="mean">1.00</strong>' in panel[:200]
    assert "average tissues" in panel[:300] and "1 rating" in panel[:400]
    assert "community score" not in html


def test_rankings_explain_the_ranking_score_in_place(client, settings):
    settings.KCRY_RANKING_MIN_RATINGS = 5
    lone, steady = WorkFactory(title="Lone One"), WorkFactory(title="Steady Twos")
    rate(UserFactory(), lone, 1)
    for _ in range(10):
        rate(UserFactory(), steady, 2)
    from votes.stats import refresh_scores

    refresh_scores()
    response = client.get("/rankings/")
    html = response.content.decode()
    assert "ranking score" in html
    # m and C are named with their values, so the order can be checked by hand.
    assert "m = 5" in html
    baseline = response.context["baseline_mean"]
    assert f"C = {baseline:.2f}" in html

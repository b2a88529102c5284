import csv
import io

import pytest
import time_machine

from tests.factories import UserFactory, WorkFactory, rate
from votes.models import Rating, WorkStats

pytestmark = pytest.mark.django_db


@pytest.fixture
def diarist():
    return UserFactory(username="jisoo")


def test_tear_diary_lists_ratings_newest_first_with_totals(client, diarist):
    with time_machine.travel("2025-01-10 12:00 +09:00", tick=False):
        rate(diarist, WorkFactory(title="Older Tears"), 2)
    with time_machine.travel("2025-02-10 12:00 +09:00", tick=False):
        rate(diarist, WorkFactory(title="Newer Tears"), 5)
        response = client.get("/u/jisoo/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newer Tears") < html.index("Older Tears")
    assert "10 Feb 2025" in html
    totals = response.context["totals"]
    assert (totals["works"], totals["tissues"], totals["average"]) == (2, 7, 3.5)


def test_tears_per_month_chart_counts_each_month(client, diarist):
    with time_machine.travel("2024-12-31 23:30 +09:00", tick=False):
        rate(diarist, WorkFactory(), 4)
    with time_machine.travel("2025-02-01 00:30 +09:00", tick=False):
        rate(diarist, WorkFactory(), 3)
        rate(diarist, WorkFactory(), 2)
        response = client.get("/u/jisoo/")
    chart = response.context["chart"]
    bars = {bar["month"].isoformat(): bar["tissues"] for bar in chart["bars"]}
    assert len(bars) == 12
    assert bars["2024-12-01"] == 4  # Seoul time decides the month
    assert bars["2025-01-01"] == 0
    assert bars["2025-02-01"] == 5
    # The numbers are in the chart's text alternative, not only in the bars.
    assert "Dec 2024 4, Jan 2025 0, Feb 2025 5" in response.content.decode()


def test_unknown_member_is_404(client):
    assert client.get("/u/nobody/").status_code == 404


def test_compare_two_members(client):
    a, b = UserFactory(username="a"), UserFactory(username="b")
    same, close, apart = (
        WorkFactory(title="Same"),
        WorkFactory(title="Close"),
        WorkFactory(title="Apart"),
    )
    rate(a, same, 3), rate(b, same, 3)
    rate(a, close, 4), rate(b, close, 3)
    rate(a, apart, 5), rate(b, apart, 0)
    rate(a, WorkFactory(), 1)  # only one of them
    response = client.get("/u/a/compare/b/")
    comparison = response.context["comparison"]
    assert comparison.count == 3
    # mean gap (0 + 1 + 5) / 3 = 2 → 1 - 2/5 = 60%
    assert comparison.agreement == 60
    assert [r.work.title for r in comparison.biggest_gaps] == ["Apart", "Close"]
    assert (comparison.first_cries_more, comparison.second_cries_more) == (2, 0)
    assert "60%" in response.content.decode()


def test_compare_picker_redirects_or_explains(client):
    UserFactory(username="a"), UserFactory(username="b")
    assert client.get("/u/a/compare/?other=b")["Location"] == "/u/a/compare/b/"
    response = client.get("/u/a/compare/?other=ghost", follow=True)
    assert "There is no member called “ghost”" in response.content.decode()


def test_csv_export_holds_every_rating(client, diarist):
    rate(diarist, WorkFactory(slug="w1", title="First", title_ko="첫 번째"), 4)
    rate(diarist, WorkFactory(slug="w2", title="=cmd|' /C calc'!A0", year=None), 0)
    rate(UserFactory(), WorkFactory(slug="not-mine"), 3)
    client.force_login(diarist)
    response = client.get("/u/jisoo/data/ratings.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["work"] for row in rows} == {"w1", "w2"}
    by_slug = {row["work"]: row for row in rows}
    assert by_slug["w1"]["title_ko"] == "첫 번째"
    assert (by_slug["w1"]["tears"], by_slug["w1"]["label"]) == ("4", "Crying")
    assert by_slug["w2"]["title"].startswith("'=")  # not run as a spreadsheet formula
    assert by_slug["w2"]["year"] == ""


def test_csv_export_is_only_for_the_member_themself(client, diarist):
    assert client.get("/u/jisoo/data/ratings.csv").status_code == 302  # log in first
    client.force_login(UserFactory())
    assert client.get("/u/jisoo/data/ratings.csv").status_code == 403


def test_deleting_the_account_needs_the_password_and_updates_figures(client, diarist):
    work = WorkFactory()
    rate(diarist, work, 5)
    rate(UserFactory(), work, 1)
    client.force_login(diarist)
    wrong = client.post("/accounts/delete/", {"password": "guess"})
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()
    assert Rating.objects.filter(member=diarist).exists()
    response = client.post("/accounts/delete/", {"password": "tissues-please-42"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert not type(diarist).objects.filter(username="jisoo").exists()
    stats = WorkStats.objects.get(pk=work.pk)
    assert (stats.n, stats.total, stats.counts) == (1, 1, [0, 1, 0, 0, 0, 0])
    assert not response.wsgi_request.user.is_authenticated


def test_account_deletion_is_only_for_the_logged_in_member(client, diarist):
    response = client.post("/accounts/delete/", {"password": "tissues-please-42"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert type(diarist).objects.filter(username="jisoo").exists()


def test_member_page_lists_their_recent_comments(client):
    from comments.services import comment_post

    member = UserFactory(username="sobber")
    work = WorkFactory(title="Rainy Goodbye")
    comment_post(author=member, target=work, body="The last scene wrecked me.")
    body = client.get("/u/sobber/").content.decode()
    assert "Recent comments" in body
    assert "The last scene wrecked me." in body and "Rainy Goodbye" in body


def test_comparing_a_member_with_themself_is_refused_with_a_message(client):
    UserFactory(username="jun")
    response = client.get("/u/jun/compare/jun/", follow=True)
    assert response.redirect_chain == [("/u/jun/", 302)]
    assert "Pick another member to compare jun with." in response.content.decode()
    response = client.get("/u/jun/compare/?other=jun", follow=True)
    assert response.redirect_chain[-1] == ("/u/jun/", 302)
    assert "Pick another member to compare jun with." in response.content.decode()


def test_member_page_offers_members_with_works_in_common(client, django_assert_num_queries):
    jun = UserFactory(username="jun")
    shared = [WorkFactory() for _ in range(3)]
    close, far = UserFactory(username="close"), UserFactory(username="far")
    hidden = UserFactory(username="hidden", diary_is_private=True)
    gone = UserFactory(username="gone")
    for work in shared:
        rate(jun, work, 3), rate(close, work, 4)
    rate(far, shared[0], 1)
    rate(hidden, shared[0], 1), rate(gone, shared[0], 1)
    gone.is_active = False
    gone.save()
    rate(UserFactory(username="stranger"), WorkFactory(), 2)
    from votes.selectors import compare_candidates

    with django_assert_num_queries(1):
        assert compare_candidates(jun) == ["close", "far"]
    html = client.get("/u/jun/").content.decode()
    assert 'list="compare-candidates"' in html
    assert '<option value="close">' in html and '<option value="stranger">' not in html
    assert '<option value="jun">' not in html


def test_each_diary_entry_links_its_share_card(client, diarist):
    work = WorkFactory(slug="rain")
    rate(diarist, work, 4)
    gone = WorkFactory(slug="gone")
    rate(diarist, gone, 2)
    gone.is_published = False
    gone.save()
    html = client.get("/u/jisoo/").content.decode()
    card = "/u/jisoo/cards/rain.png"
    assert f'href="{card}"' in html and "share card" in html
    assert client.get(card).status_code == 200
    assert "/u/jisoo/cards/gone.png" not in html  # no card for an unpublished work

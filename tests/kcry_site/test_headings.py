"""No page skips a heading level (h1 then h3 with no h2 between): screen-reader users
move through a page by its headings."""

import re

import pytest

from tests.factories import ListEntryFactory, UserFactory, WorkFactory, rate

pytestmark = pytest.mark.django_db


def skipped_levels(html):
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    return [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]


def test_no_page_skips_a_heading_level(client):
    work = WorkFactory(title="Rain", kind="film")
    entry = ListEntryFactory(works=[work])
    ListEntryFactory(
        editorial_list=entry.editorial_list,
        position=None,
        is_honourable_mention=True,
        works=[WorkFactory()],
    )
    member = UserFactory(username="jun")
    rate(member, work, 3)
    for url in [
        "/",
        "/works/",
        "/rankings/",
        "/search/?q=rain",
        entry.editorial_list.get_absolute_url(),
        work.get_absolute_url(),
        "/u/jun/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert skipped_levels(response.content.decode()) == [], url

"""Every catalog page costs the same number of SQL queries at 3 and at 43 works."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ContentNote, EditorialList, Person, Work
from tests.factories import (
    CreditFactory,
    EditorialListFactory,
    ListEntryFactory,
    PersonFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/works/",
    "/works/?kind=mv&decade=2010",
    "/works/focus/",
    "/people/star/",
    "/lists/",
    "/lists/focus-list/",
    "/search/?q=sad song",
    "/api/works/",
    "/api/works/focus/",
    "/api/lists/",
    "/api/lists/focus-list/",
]


def add_works(count):
    """Add `count` works, each with two artists and notes, to the focus list and star."""
    star = Person.objects.get_or_create(slug="star", defaults={"name": "Star"})[0]
    editorial_list = EditorialList.objects.filter(
        slug="focus-list"
    ).first() or EditorialListFactory(slug="focus-list")
    notes = [
        ContentNote.objects.get_or_create(slug=f"note-{n}", name=f"Note {n}")[0] for n in range(3)
    ]
    for _ in range(count):
        work = WorkFactory(slug="focus") if not Work.objects.exists() else WorkFactory()
        CreditFactory(work=work, person=star)
        CreditFactory(work=work, role="featured", person=PersonFactory())
        work.content_notes.set(notes)
        ListEntryFactory(editorial_list=editorial_list, works=[work])
        ListEntryFactory(works=[work])  # and in a list of its own


def queries_per_page(client):
    counts = {}
    for url in PAGES:
        # From an empty cache: kept fragments (a thread, a tear chart) would hide what
        # rendering them costs.
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_catalog_pages_use_a_fixed_small_number_of_queries(client):
    add_works(3)
    small = queries_per_page(client)
    # Catalog, votes and comments parts of a page together stay within a dozen queries.
    assert max(small.values()) <= 12, small
    add_works(40)
    assert queries_per_page(client) == small

"""Bad input is a 4xx with a message, never a 500: known cases, then Hypothesis.

Numbers come in many shapes that str.isdigit() or int() take and others refuse:
superscripts ("²"), other scripts' digits ("٣"), and numbers longer than the 4,300
digits int() converts.
"""

import csv
import html
import io
import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments.services import comment_post
from tests.factories import (
    CreditFactory,
    EditorialListFactory,
    ListEntryFactory,
    PersonFactory,
    UserFactory,
    WorkFactory,
    rate,
)

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000  # int() refuses more than 4,300 digits
LONG = "9" * 4000  # int() takes it; no page or year has that many


def error_message(response):
    if response["Content-Type"].startswith("application/json"):
        return response.json()["error"]
    found = re.search(r'<p class="error-message"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    return html.unescape(found.group(1))


NUMBERS = ["²", "²⁰⁰⁸", HUGE, LONG]
FILTERS = {
    "/works/": ["page", "decade"],
    "/api/works/": ["page", "decade"],
    "/rankings/": ["page", "decade", "year", "min_ratings"],
    "/api/rankings/": ["page", "decade", "year", "min_ratings"],
}


@pytest.mark.parametrize(
    "path,params",
    [
        (path, {name: number})
        for path, names in FILTERS.items()
        for name in names
        for number in NUMBERS
        # A 4,000-digit page is a number, just not a page there is (404).
        if number != LONG or name == "page"
    ],
    ids=lambda value: (
        value
        if isinstance(value, str)
        else "&".join(f"{key}={number[:6]}" for key, number in value.items())
    ),
)
def test_unusual_numbers_in_filters_and_pages_are_client_errors(client, path, params):
    response = client.get(path, params)
    assert response.status_code in (400, 404)
    message = error_message(response)
    # A clear message naming the parameter, and not the 5,000 digits echoed back.
    # The message names the parameter in people's words (its label, e.g. "At least …
    # ratings" for min_ratings), or the page that is not there.
    named = {"min_ratings": "ratings"}.get(next(iter(params)), next(iter(params)))
    assert named in message.lower() or "There is no page" in message, message
    assert len(message) < 200, message


# --- Hypothesis: arbitrary text at every URL's parameters and every public form ------------

# Every character Python calls a digit or numeric: "²" and "٣" pass str.isdigit(), "Ⅻ"
# and "五" pass str.isnumeric(); int() takes some of them and refuses others.
DIGIT_LIKE = "".join(ch for ch in map(chr, range(0x20000)) if ch.isnumeric())
# Numbers in the shapes that trip parsers, and any text at all.
NUMBERISH = st.one_of(
    st.integers().map(str),
    st.text(st.sampled_from(DIGIT_LIKE), min_size=1, max_size=6),
    st.sampled_from([HUGE, LONG, "-1", "0", "1e3", "0x1F", " 3 ", "2010s", "1.5", "NaN", "1_000"]),
)
VALUES = st.one_of(st.text(max_size=40), NUMBERISH)
# Every query parameter a view reads (grep request.GET), each present half the time,
# and parameters nobody reads.
PARAMS = ["page", "kind", "decade", "year", "order", "min_ratings", "q", "csort", "cpage"]
PARAMS += ["other", "next"]
QUERIES = st.builds(
    lambda known, unknown: unknown | known,
    st.fixed_dictionaries({}, optional={name: VALUES for name in PARAMS}),
    st.dictionaries(st.text(min_size=1, max_size=8), VALUES, max_size=2),
)
# Run for every URL whatever Hypothesis draws: the cases that once answered 500.
KNOWN_BAD_QUERIES = [
    {"page": "²", "cpage": "²"},
    {"page": HUGE, "cpage": HUGE},
    {"decade": "²⁰⁰⁰", "year": "²⁰⁰⁸", "min_ratings": HUGE},
    {"other": "\x00", "q": "\x00"},  # PostgreSQL refuses a null character in a query
]
FUZZ = hypothesis_settings(
    max_examples=30,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the checkout
    # The site's data is made once per test (a function-scoped fixture) and shared by
    # its examples; each example only reads it or adds rows of its own.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def url_patterns(resolver=None, prefix="", namespace=""):
    """(name, route) of every URL pattern but the admin's (staff only), from the resolver."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from url_patterns(pattern, route, inner)
        else:
            yield f"{namespace}{pattern.name}" if pattern.name else None, route


# Arguments for every URL pattern that takes some; a new pattern with arguments fails
# test_every_url_pattern_is_fuzzed until it is added here.
ARGS = {
    "work": lambda site: [site.work.slug],
    "catalog:content-note-vote": lambda site: [site.work.slug],
    "catalog:person": lambda site: [site.person.slug],
    "list": lambda site: [site.editorial_list.slug],
    "api-work": lambda site: [site.work.slug],
    "api-not-found": lambda site: ["nothing/here"],
    "catalog:api-list": lambda site: [site.editorial_list.slug],
    "member-data": lambda site: [site.member.username],
    "member-data-json": lambda site: [site.member.username],
    "member-data-csv": lambda site: [site.member.username, "ratings"],
    "member-data-import": lambda site: [site.member.username],
    "member-data-import-matched": lambda site: [site.member.username],
    "sitemap-section": lambda site: ["works"],
    "votes:rate": lambda site: [site.work.slug],
    "votes:rate-later": lambda site: [site.work.slug],
    "votes:react": lambda site: [site.editorial_list.slug],
    "member": lambda site: [site.member.username],
    "compare-pick": lambda site: [site.member.username],
    "compare": lambda site: [site.member.username, site.other.username],
    "votes:work-card": lambda site: [site.work.slug],
    "votes:rating-card": lambda site: [site.member.username, site.work.slug],
    "comments:work-post": lambda site: [site.work.slug],
    "comments:list-post": lambda site: [site.editorial_list.slug],
    "comments:work-feed": lambda site: [site.work.slug],
    "comments:work-feed-atom": lambda site: [site.work.slug],
    "comments:permalink": lambda site: [site.comment.pk],
    "comments:replies": lambda site: [site.comment.pk],
    "comments:reply": lambda site: [site.comment.pk],
    "comments:edit": lambda site: [site.comment.pk],
    "comments:delete": lambda site: [site.comment.pk],
    "comments:flag": lambda site: [site.comment.pk],
    "comments:metoo": lambda site: [site.comment.pk],
    "password_reset_confirm": lambda site: ["MQ", "set-password"],
    "media": lambda site: ["posters/none.png"],
    "follow": lambda site: [site.other.username],
    "unfollow": lambda site: [site.other.username],
    "followers": lambda site: [site.member.username],
    "following": lambda site: [site.member.username],
    "votes:tear-add": lambda site: [site.work.slug],
    "votes:tear-remove": lambda site: [site.work.slug],
    "votes:api-tears": lambda site: [site.work.slug],
    "votes:watchlist-toggle": lambda site: [site.work.slug],
    "votes:watchlist": lambda site: [site.member.username],
    "inbox:read": lambda site: [1],
    "inbox:unsubscribe": lambda site: ["not-a-token"],
}
# Pages only a member sees (anyone else is sent to log in): fuzzed as that member.
MEMBER_PAGES = {
    "catalog:note-preferences",
    "catalog:suggest",
    "catalog:my-suggestions",
    "member-data",
    "member-data-json",
    "member-data-csv",
    "account-settings",
    "account-delete",
    "comments:reply",
    "comments:edit",
    "comments:delete",
    "comments:flag",
    "password_change",
    "password_change_done",
    "inbox:inbox",
    "inbox:feed",
    "welcome",
}
URL_NAMES = sorted({name for name, _route in url_patterns()} - {None})


@pytest.fixture
def site(db, settings):
    # No rate limits or log-in pauses: every example should reach the form's checks.
    settings.KCRY_COMMENT_RATE = (1_000_000, 60)
    settings.KCRY_LOGIN_MAX_FAILURES = 1_000_000
    member, other = UserFactory(username="jiwoo"), UserFactory(username="minseo")
    work = WorkFactory(slug="rain", video_url="https://www.youtube.com/watch?v=abc123")
    person = PersonFactory(slug="lee-sora")
    CreditFactory(work=work, person=person)
    editorial_list = EditorialListFactory(slug="saddest")
    ListEntryFactory(editorial_list=editorial_list, position=1, works=[work])
    rate(member, work, 4)
    rate(other, work, 5)
    comment, _ = comment_post(author=member, target=work, body="Tears at the chorus")
    return SimpleNamespace(
        member=member,
        other=other,
        work=work,
        person=person,
        editorial_list=editorial_list,
        comment=comment,
    )


def test_every_url_pattern_is_fuzzed():
    routes = dict((name, route) for name, route in url_patterns())
    assert None not in routes, f"an unnamed URL pattern: {routes.get(None)}"
    missing = [name for name, route in routes.items() if "<" in route and name not in ARGS]
    assert not missing, f"add arguments for these patterns to ARGS: {missing}"
    assert set(ARGS) | MEMBER_PAGES <= set(routes), "ARGS or MEMBER_PAGES name a gone URL"


def assert_no_server_error(response):
    # The test client re-raises a view's exception; a 5xx answered on purpose
    # (e.g. /healthz with no database) would show here.
    assert response.status_code < 500, response.content[:500]


@pytest.mark.parametrize("name", URL_NAMES)
def test_no_query_string_makes_a_page_fail(client, site, name):
    args = ARGS.get(name, lambda site: [])(site)
    url = reverse(name, args=args)
    if name in MEMBER_PAGES:
        client.force_login(site.member)

    @FUZZ
    @given(query=QUERIES, as_json=st.booleans())
    @example(query=KNOWN_BAD_QUERIES[0], as_json=True)
    @example(query=KNOWN_BAD_QUERIES[1], as_json=False)
    @example(query=KNOWN_BAD_QUERIES[2], as_json=True)
    @example(query=KNOWN_BAD_QUERIES[3], as_json=False)
    def check(query, as_json):
        headers = {"accept": "application/json"} if as_json else {}
        assert_no_server_error(client.get(url, query, headers=headers))

    check()


# The public forms: (URL name, who posts, the arguments' source, the fields).
FORMS = {
    "log-in": ("login", None, None, ["username", "password"]),
    "sign-up": ("signup", None, None, ["username", "email", "password1", "password2"]),
    "comment": (
        "comments:work-post",
        "member",
        "work",
        ["body", "spoiler", "moment", "parent", "token"],
    ),
    "list comment": (
        "comments:list-post",
        "member",
        "list",
        ["body", "spoiler", "moment", "parent", "token"],
    ),
    "reply": ("comments:reply", "member", "comment", ["body", "spoiler", "moment", "token"]),
    "rating": ("votes:rate", "member", "work", ["tears"]),
    "reaction": ("votes:react", "member", "list", ["reaction"]),
    "flag": ("comments:flag", "other", "comment", ["reason", "text"]),
    "suggestion": (
        "catalog:suggest",
        "member",
        None,
        ["kind", "title", "title_ko", "artist_or_director", "year", "video_url", "reason"],
    ),
    "content notes": ("catalog:content-note-vote", "member", "work", ["note", "vote"]),
}


@pytest.mark.parametrize("form", FORMS)
def test_no_form_input_makes_a_post_fail(client, site, form):
    name, poster, target, fields = FORMS[form]
    args = {
        None: [],
        "work": [site.work.slug],
        "list": [site.editorial_list.slug],
        "comment": [site.comment.pk],
    }[target]
    url = reverse(name, args=args)
    if poster:
        client.force_login(getattr(site, poster))

    @FUZZ
    @given(
        data=st.fixed_dictionaries({}, optional={field: VALUES for field in fields}),
        as_json=st.booleans(),
    )
    def check(data, as_json):
        headers = {"accept": "application/json"} if as_json else {}
        assert_no_server_error(client.post(url, data, headers=headers))

    check()


def test_no_search_makes_the_search_page_fail(client, site):
    @FUZZ
    @given(q=VALUES)
    def check(q):
        assert_no_server_error(client.get(reverse("catalog:search"), {"q": q}))

    check()


IMPORT_COLUMNS = ["work", "title", "title_ko", "artist", "year", "tears"]


def test_no_ratings_file_makes_the_import_fail(client, site):
    client.force_login(site.member)
    url = reverse("member-data-import", args=[site.member.username])
    rows = st.lists(st.lists(VALUES, min_size=len(IMPORT_COLUMNS), max_size=6), max_size=4)

    @FUZZ
    @given(rows=rows, raw=st.one_of(st.none(), st.binary(max_size=200)))
    def check(rows, raw):
        if raw is None:
            buffer = io.StringIO()
            csv.writer(buffer).writerows([IMPORT_COLUMNS, *rows])
            raw = buffer.getvalue().encode("utf-8", "surrogatepass")
        upload = SimpleUploadedFile("ratings.csv", raw, content_type="text/csv")
        assert_no_server_error(client.post(url, {"file": upload}))

    check()

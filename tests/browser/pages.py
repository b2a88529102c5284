"""The public pages every validator checks, with data that fills each of their parts."""

from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from catalog.models import EditorialList, Work
from catalog.posters import make_thumbnail
from comments.services import comment_post, flag_create
from tests.factories import UserFactory, rate
from tests.images import image_upload
from votes.services import reaction_set
from votes.stats import refresh_scores

# The work whose page is checked: content notes, credits in two scripts, on two lists.
WORK = "haru-haru"
LIST = "tissues-and-tears-mvs"  # asks readers for a reaction
MEMBER = "mina"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    as_member: bool = False  # seen by MEMBER, logged in (own rating, forms to write)
    status: int = 200
    locale: str = "en-GB"  # the browser's language (Accept-Language)


def make_site_data(founding_lists) -> dict:
    """Seed content plus a poster, ratings, reactions and a comment thread."""
    work = Work.objects.get(slug=WORK)
    work.poster = image_upload(size=(600, 900))
    make_thumbnail(work)
    work.save()

    members = [UserFactory(username=name) for name in (MEMBER, "jun", "seo", "hana", "tae")]
    works = list(Work.objects.published().order_by("pk")[:12])
    for number, member in enumerate(members):
        for offset, rated in enumerate(works):
            rate(member, rated, (number + offset) % 6)
    refresh_scores()
    editorial_list = EditorialList.objects.get(slug=LIST)
    for member, reaction in zip(members, ["sobbing", "moved", "sobbing"], strict=False):
        reaction_set(member=member, editorial_list=editorial_list, reaction=reaction)

    mina, jun, seo = members[:3]
    first, _ = comment_post(
        author=mina,
        target=work,
        body="The hospital scene at the end: https://example.com/scene\nI could not stop.",
        spoiler=True,
        moment_seconds=187,
    )
    reply, _ = comment_post(author=jun, target=work, body="Same here.", parent=first)
    comment_post(author=mina, target=work, body="Thank you, jun.", parent=reply)
    comment_post(author=seo, target=work, body="This one still gets me every time.")
    flag_create(member=seo, comment=first, reason="off_topic")
    list_comment, _ = comment_post(author=jun, target=editorial_list, body="Number 3 wrecked me.")
    return {"work": work, "list": editorial_list, "comment": list_comment, "members": members}


def public_pages(data) -> list[Page]:
    """Every public page template, each with real content; some also as a member sees them."""
    comment = data["comment"].pk
    return [
        Page("home", "/"),
        Page("works", "/works/"),
        Page("works-filtered", "/works/?kind=song"),
        Page("work", f"/works/{WORK}/"),
        Page("person", "/people/bigbang/"),
        Page("lists", "/lists/"),
        Page("list", f"/lists/{LIST}/"),
        Page("list-countdown", "/lists/top-10-saddest-kpop-mvs/"),
        Page("rankings", "/rankings/"),
        Page("rankings-filtered", "/rankings/?kind=mv&decade=2000&order=most-rated"),
        Page("search", "/search/?q=눈"),
        Page("search-empty", "/search/"),
        Page("member", f"/u/{MEMBER}/"),
        Page("compare", f"/u/{MEMBER}/compare/jun/"),
        Page("sign-up", "/accounts/signup/"),
        Page("log-in", "/accounts/login/"),
        Page("password-reset", "/accounts/password_reset/"),
        Page("not-found", "/works/no-such-work/", status=404),
        Page("home-member", "/", as_member=True),
        Page("work-member", f"/works/{WORK}/", as_member=True),
        Page("list-member", f"/lists/{LIST}/", as_member=True),
        Page("member-self", f"/u/{MEMBER}/", as_member=True),
        Page("reply", f"/comments/{comment}/reply/", as_member=True),
        Page("flag", f"/comments/{comment}/flag/", as_member=True),
        Page("member-data", f"/u/{MEMBER}/data/", as_member=True),
        Page("password-change", "/accounts/password_change/", as_member=True),
        Page("note-preferences", "/account/content-notes/", as_member=True),
        Page("suggest", "/suggest/", as_member=True),
        Page("my-suggestions", "/suggest/mine/", as_member=True),
        Page("home-korean", "/", locale="ko-KR"),
        Page("work-member-korean", f"/works/{WORK}/", as_member=True, locale="ko-KR"),
    ]


def session_cookie(live_server, username=MEMBER) -> dict:
    """A session cookie for the live server that logs `username` in."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}


def log_in(context, live_server, username=MEMBER):
    """Give a Playwright browser context the session of a logged-in member."""
    context.add_cookies([session_cookie(live_server, username)])

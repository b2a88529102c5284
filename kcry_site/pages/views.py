"""The pages that show several apps at once. Each view names its selectors, so a page
reads in one hop: URL (kcry_site/urls.py) → view (here) → selectors (each app)."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog import selectors as catalog
from catalog.models import EditorialList, ListEntry, Work
from comments import selectors as comments
from kcry_site.accounts.models import Follow
from kcry_site.web import versions
from kcry_site.web.decorators import members_only
from kcry_site.web.fragments import cached_data, cached_fragment
from kcry_site.web.pagination import paginate, requested_page, strict_page
from votes import selectors as votes
from votes.models import Tears

from .player import player_for

User = get_user_model()


@require_GET
def home(request):
    member = request.user

    def render_sections():
        new_works = list(Work.objects.published().with_artists().order_by("-created", "-pk")[:8])
        context = catalog.card_context(new_works, catalog.guarded_work_ids(member, new_works))
        context["lists"] = EditorialList.objects.published()
        return render_to_string("pages/_home_sections.html", context)

    # The lists and the newly added works: one fragment under the site version (every
    # catalog edit bumps it) per folded content notes; a hit reads nothing.
    sections = cached_fragment("home", [versions.SITE], [catalog.fold_key(member)], render_sections)
    return render(request, "pages/home.html", {"sections_html": sections})


WELCOME_WORKS = 8  # works offered to a new member, from the first editorial lists
WELCOME_LISTS = 3  # lists read to find them


def founding_works(limit=WELCOME_WORKS):
    """The first `limit` published works of the first published editorial lists, in the
    lists' own order (three queries whatever the catalogue's size)."""
    lists = EditorialList.objects.published().order_by("created", "pk")[:WELCOME_LISTS]
    entries = (
        ListEntry.objects.filter(editorial_list__in=lists)
        .select_related("editorial_list")
        .prefetch_related(
            Prefetch("works", queryset=Work.objects.published().order_by("pk"), to_attr="shown")
        )
        .order_by("editorial_list__created", "editorial_list__pk", "order", "pk")
    )
    works = {}
    for entry in entries[: limit * 2]:
        for work in entry.shown:
            works.setdefault(work.pk, work)
    return list(works.values())[:limit]


@require_GET
@members_only()
def welcome(request):
    """A new member's first step: hello by name, and a few works to rate in one click."""
    works = founding_works()
    own = votes.own_tears(request.user, works)
    for work in works:
        work.own_tears = own.get(work.pk)
    context = {"works": works, "choices": list(Tears)}
    return render(request, "pages/welcome.html", context)


@require_GET
def work_page(request, slug):
    # What is the same for every reader is read and rendered once and kept as one entry
    # under the site's and the work's versions (a catalog edit, a rating, a note vote, a
    # list edit bumps one): the work, its content notes with their counts, the head
    # (poster, facts, credits; a second copy with the poster folded when the work carries
    # a note), the editors' lists, the share tags (per site address) and the rating
    # figures. One cache round trip on a hit; the member's own bits are read live.
    site = request.build_absolute_uri("/")

    def read_shared():
        work = catalog.work_for_page(slug, related=False)
        if work is None:
            return None
        notes = catalog.work_notes(work)
        # Credits and lists only show in the head and lists: fetched on a copy, so the
        # kept work stays small.
        shown = catalog.work_related(copy.copy(work))
        context = {"work": shown, "credits_by_role": catalog.group_credits(shown.credits.all())}
        heads = {False: render_to_string("pages/_work_head.html", context)}
        if any(note.is_carried for note in notes[0]):
            heads[True] = render_to_string(
                "pages/_work_head.html", context | {"notes": {"guarded": True}}
            )
        share = catalog.work_share(work, image=reverse("votes:work-card", args=[work.slug]))
        return {
            "work": work,
            "notes": notes,
            "heads": heads,
            "lists": render_to_string("pages/_work_lists.html", context),
            "meta": render_to_string(
                "pages/_work_meta.html", {"work": work, "share": share, "request": request}
            ),
            "figures": votes.rating_figures_html(work),
        }

    scopes = [versions.SITE, versions.work(slug)]
    shared = cached_data("work-page", scopes, [site], read_shared)
    if shared is None:
        raise Http404(_("There is no work “%(slug)s”.") % {"slug": slug[:80]})
    work = shared["work"]
    notes = catalog.content_notes_panel(work, request.user, shared=shared["notes"])
    context = {
        "work": work,
        "head_html": mark_safe(shared["heads"][bool(notes["guarded"])]),
        "lists_html": mark_safe(shared["lists"]),
        "notes": notes,
        "meta_html": mark_safe(shared["meta"]),
        "rating_html": votes.rating_panel_html(request, work, figures_html=shared["figures"]),
        "tears": votes.tear_panel(request, work),
        "player": player_for(work),
        "thread": comments.thread_panel(request, work),
    }
    return render(request, "pages/work.html", context)


@require_GET
def list_page(request, slug):
    editorial_list = get_object_or_404(EditorialList.objects.published(), slug=slug)
    member = request.user
    # The entries and the rank table are the same for every member who folds the same
    # content notes: kept under the site and list versions (a rating, a catalog or list
    # edit bumps one), rendered again at once after a change; a hit reads neither.
    scopes = [versions.SITE, versions.of(editorial_list)]

    def render_entries():
        entries = catalog.list_entries(editorial_list)
        works = [work for entry in entries["entries"] for work in entry.works.all()]
        context = {
            "editorial_list": editorial_list,
            **entries,
            **catalog.card_context(works, catalog.guarded_work_ids(member, works)),
        }
        return {
            "html": render_to_string("pages/_list_entries.html", context),
            "share": catalog.list_share(editorial_list, entries["entries"]),
        }

    shown = cached_data("list-entries", scopes, [catalog.fold_key(member)], render_entries)
    community = votes.list_reactions(request, editorial_list)
    community["table_html"] = cached_fragment(
        "list-community",
        scopes,
        [],
        lambda: render_to_string(
            "votes/_list_community_table.html", votes.list_community_table(editorial_list)
        ),
    )
    context = {
        "editorial_list": editorial_list,
        "entries_html": mark_safe(shown["html"]),  # rendered by Django's escaping templates
        "share": shown["share"],
        "community": community,
        "thread": comments.thread_panel(request, editorial_list),
    }
    return render(request, "pages/list.html", context)


def active_member(username):
    return get_object_or_404(User, username=username, is_active=True)


@require_GET
def member_page(request, username):
    """A member's tear diary: ratings newest first, totals, tears per month, comments.

    A private diary shows its owner everything and everyone else only the name,
    the follow counts and that the diary is private.
    """
    member = active_member(username)
    is_self = request.user == member
    hidden = member.diary_is_private and not is_self
    context = {
        "member": member,
        "is_self": is_self,
        "diary_hidden": hidden,
        "follows": follow_panel(request, member),
        "compare_candidates": votes.compare_candidates(member),
    }
    if not hidden:
        number = requested_page(request)

        def render_diary():
            # Read only on a miss: totals, chart and rows change with a rating or a
            # catalog edit, both of which bump the site version. A page past the last
            # is a 404 (never cached).
            ratings = member.tear_ratings.select_related("work").order_by("-rated_at", "-pk")
            page = strict_page(Paginator(ratings, settings.KCRY_DIARY_PER_PAGE), number)
            diary = {
                "member": member,
                "page_obj": page,
                "diary": page.object_list,
                "totals": votes.totals(member),
                "chart": votes.tears_per_month(member, settings.KCRY_DIARY_MONTHS),
            }
            return render_to_string("pages/_member_diary.html", diary)

        context |= {
            "diary_html": cached_fragment(
                "member-diary", [versions.SITE], [member.pk, number], render_diary
            ),
            "recent_comments": comments.member_comments(member, request.user),
        }
    return render(request, "pages/member.html", context)


def follow_panel(request, member):
    """Follower and following counts, and whether the visitor follows `member`."""
    user = request.user
    return {
        "followers": Follow.objects.filter(follower__is_active=True, followed=member).count(),
        "following": Follow.objects.filter(follower=member, followed__is_active=True).count(),
        "i_follow": user.is_authenticated
        and user != member
        and Follow.objects.filter(follower=user, followed=member).exists(),
    }


def _follow_list(request, username, *, followers):
    member = active_member(username)
    if followers:
        links = Follow.objects.filter(followed=member, follower__is_active=True)
        links = links.select_related("follower").order_by("-created", "-pk")
    else:
        links = Follow.objects.filter(follower=member, followed__is_active=True)
        links = links.select_related("followed").order_by("-created", "-pk")
    page = paginate(request, links, settings.KCRY_FOLLOWS_PER_PAGE)
    people = [link.follower if followers else link.followed for link in page.object_list]
    context = {"member": member, "page_obj": page, "people": people, "followers": followers}
    return render(request, "pages/follows.html", context)


@require_GET
def followers_page(request, username):
    return _follow_list(request, username, followers=True)


@require_GET
def following_page(request, username):
    return _follow_list(request, username, followers=False)


def refuse_self_compare(request, member):
    """Comparing a member with themself shows nothing ("jun cried more 0" twice)."""
    messages.error(
        request,
        _("Pick another member to compare %(name)s with.") % {"name": member.get_username()},
    )
    return redirect("member", username=member.get_username())


@require_GET
def compare_page(request, username, other):
    """Two members side by side: shared works, agreement, where they differ most."""
    first, second = active_member(username), active_member(other)
    if first == second:
        return refuse_self_compare(request, first)
    context = {"first": first, "second": second}
    # A private diary shows nothing of its ratings to others, not even through here;
    # its owner may still compare themself with anyone.
    private = [m for m in (first, second) if m.diary_is_private and m != request.user]
    if private:
        context["private_member"] = private[0]
        return render(request, "pages/compare.html", context)
    comparison = votes.compare(first, second)
    page = paginate(request, comparison.shared, settings.KCRY_COMPARE_PER_PAGE)
    context |= {"comparison": comparison, "page_obj": page, "shared": page.object_list}
    return render(request, "pages/compare.html", context)


@require_GET
def compare_pick(request, username):
    """The compare form on a member page sends ?other=<username>."""
    other = request.GET.get("other", "").strip()
    if not other:
        raise BadRequest(_("other: name the member to compare with."))
    if not User.objects.filter(username=other, is_active=True).exists():
        messages.error(request, _("There is no member called “%(name)s”.") % {"name": other[:40]})
        return redirect("member", username=username)
    if other == username:
        return refuse_self_compare(request, active_member(username))
    return redirect("compare", username=username, other=other)

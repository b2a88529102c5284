"""Votes' pages and writes: rating a work, reacting to a list, rankings, share cards.

Writes follow the site's convention: POST only, members only, the one error answer,
JSON when the page's script asks (Accept: application/json), else a redirect back.
"""

import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from catalog.models import EditorialList, Work
from catalog.selectors import fold_key, guarded_work_ids, published_decades
from catalog.text import format_moment, parse_moment
from kcry_site.web import versions
from kcry_site.web.answers import error_answer, json_answer, wants_json
from kcry_site.web.decorators import members_only
from kcry_site.web.fragments import cached_data, cached_fragment
from kcry_site.web.pagination import paginate, requested_page, strict_page
from kcry_site.web.ratelimit import (
    RateLimited,
    client_address,
    hashed,
    hit,
    reaction_brake,
    reaction_spend,
    too_many_answer,
)

from . import cards, selectors, services
from .models import Rating, Tears, WatchlistEntry, stored_stats
from .rankings import Order, ranking_form, rows_of
from .stats import current_baseline

TEARS_PATTERN = re.compile(r"[0-5]")


def _work_page(request, slug):
    return reverse("work", args=[slug])


def _list_page(request, slug):
    return reverse("list", args=[slug])


# --- rating a work ----------------------------------------------------------------------


PENDING_RATING = "pending_rating"  # session key: a rating chosen before logging in


def keep_anonymous_rating(view):
    """A visitor who picks a tear value before logging in keeps it: the choice waits in
    the session ({work, tears}) and is saved once they log in (kcry_site.receivers)."""

    @wraps(view)
    def wrapped(request, **kwargs):
        if not request.user.is_authenticated:
            raw = (request.POST.get("tears") or "").strip()
            if TEARS_PATTERN.fullmatch(raw):
                request.session[PENDING_RATING] = {"work": kwargs["slug"], "tears": int(raw)}
        return view(request, **kwargs)

    return wrapped


def rating_texts(stats):
    """The panel's sentences whose wording depends on the figures (plurals), so the
    page's script can update the panel from the JSON figures in any language."""
    return {
        "count": ngettext("%(n)s rating", "%(n)s ratings", stats.n) % {"n": stats.n},
        "total": ngettext("%(n)s tissue in all", "%(n)s tissues in all", stats.total)
        % {"n": stats.total},
    }


@require_POST
@keep_anonymous_rating
@members_only(
    back=_work_page,
    message=gettext_lazy(
        "Log in to rate works; your choice is kept and saved once you are logged in."
    ),
)
def rate_work(request, slug):
    # Only what the write and its answer use: the work's row is wide (texts, links).
    work = get_object_or_404(
        Work.objects.published().only("pk", "slug", "title", "is_published"), slug=slug
    )
    back = work.get_absolute_url()
    raw = request.POST.get("tears")
    if raw is None:
        return error_answer(request, 400, _("tears: missing (0 to 5, or empty to withdraw)."), back)
    raw = raw.strip()
    if raw and not TEARS_PATTERN.fullmatch(raw):
        return error_answer(
            request,
            400,
            _("tears: “%(raw)s” is not a tear rating; choose 0 to 5 tissues.") % {"raw": raw[:20]},
            back,
        )
    rating = None
    try:
        # The brake's event and the write commit together, in one transaction.
        with transaction.atomic():
            reaction_spend(request.user, savepoint=False)
            if raw == "":
                # What the rating was before: the "Undo" button puts it back.
                previous = (
                    Rating.objects.filter(member=request.user, work=work)
                    .values_list("tears", flat=True)
                    .first()
                )
                removed = services.rating_withdraw(member=request.user, work=work)
            else:
                rating = services.rating_set(
                    member=request.user, work=work, tears=int(raw), savepoint=False
                )
                previous = rating.replaced
    except RateLimited as error:
        return too_many_answer(request, error, back)
    except ValidationError as error:
        return error_answer(request, 400, error.messages[0], back)
    if rating is None:
        note = _("Your rating was withdrawn.") if removed else _("You had not rated this work.")
    else:
        note = _("You rated %(title)s: %(tears)s – %(label)s.") % {
            "title": work.title,
            "tears": rating.tears,
            "label": Tears(rating.tears).label,
        }
    if (
        rating is not None
        and WatchlistEntry.objects.filter(member=request.user, work=work).exists()
    ):
        note = " ".join(
            [note, _("It is on your watchlist: take it off with the button under your rating.")]
        )
    now = rating.tears if rating else None
    if wants_json(request):
        # The page's script updates the panel from these figures (rating.js); the
        # services left them on `work`, so nothing is read again and nothing rendered.
        stats = selectors.stats_for(work)
        return json_answer(
            {
                "work": work.slug,
                "tears": now,
                "previous": previous,
                "message": note,
                "stats": selectors.stats_json(stats),
                "texts": rating_texts(stats),
            }
        )
    if previous != now:
        # Without JavaScript the page after the redirect offers the same "Undo".
        request.session[selectors.RATING_UNDO] = {"work": work.slug, "previous": previous}
    messages.success(request, note)
    return redirect(f"{back}#tear-rating")


def _same_origin(request):
    """Whether the request came from one of our own pages (a click, not a link from
    elsewhere): the browser's Sec-Fetch-Site, else the Referer's host."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    referer = request.headers.get("Referer", "")
    return bool(referer) and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@require_GET
def rate_later(request, slug):
    """A visitor's pick from the rating panel (anonymous pages carry no form token, so
    this is a GET that changes nothing but the visitor's own session): remember it and
    send them to log in; kcry_site.receivers saves it once they are in. A link from
    another site only leads to the log-in page, so nobody can plant a rating."""
    work = get_object_or_404(Work.objects.published(), slug=slug)
    back = f"{work.get_absolute_url()}#tear-rating"
    raw = (request.GET.get("tears") or "").strip()
    if not TEARS_PATTERN.fullmatch(raw):
        return error_answer(request, 400, _("tears: choose 0 to 5 tissues."), back)
    if request.user.is_authenticated:
        # Logged in meanwhile (another tab): the panel on the page takes one click.
        return redirect(back)
    if _same_origin(request):
        request.session[PENDING_RATING] = {"work": work.slug, "tears": int(raw)}
        messages.info(
            request,
            _("Log in or sign up and your rating (%(tears)s – %(label)s) is saved.")
            % {"tears": raw, "label": Tears(int(raw)).label},
        )
    return redirect_to_login(back)


# --- watchlist ("tissues ready") ----------------------------------------------------------


@require_POST
@members_only(
    back=_work_page,
    message=gettext_lazy("Log in to keep a watchlist; you will come back here."),
)
def watchlist_toggle(request, slug):
    """Add the work to the member's watchlist or take it off (`on` = 1 or 0; else flip)."""
    work = get_object_or_404(Work.objects.published(), slug=slug)
    back = work.get_absolute_url()
    raw = request.POST.get("on", "").strip()
    if raw not in ("", "0", "1"):
        return error_answer(request, 400, _("on: use 1 to add or 0 to take off."), back)
    try:
        added = services.watchlist_toggle(
            member=request.user, work=work, add=None if raw == "" else raw == "1"
        )
    except ValidationError as error:
        return error_answer(request, 400, error.messages[0], back)
    if added:
        note = _("%(title)s is on your watchlist. Tissues ready.") % {"title": work.title}
    else:
        note = _("%(title)s is off your watchlist.") % {"title": work.title}
    if wants_json(request):
        return json_answer({"work": work.slug, "on_watchlist": added, "message": note})
    messages.success(request, note)
    return redirect(f"{back}#tear-rating")


@require_GET
def watchlist_page(request, username):
    """A member's watchlist, newest first; a private diary's is for its owner only."""
    member = get_object_or_404(get_user_model(), username=username, is_active=True)
    is_self = request.user == member
    hidden = member.diary_is_private and not is_self
    context = {"member": member, "is_self": is_self, "hidden": hidden}
    if not hidden:
        entries = (
            WatchlistEntry.objects.filter(member=member, work__is_published=True)
            .select_related("work")
            .order_by("-added", "-pk")
        )
        page = paginate(request, entries, settings.KCRY_DIARY_PER_PAGE)
        context |= {"page_obj": page, "entries": page.object_list}
    return render(request, "votes/watchlist.html", context)


# --- "I cried here" marks ---------------------------------------------------------------

TEAR_LOGIN_MESSAGE = gettext_lazy("Log in to mark where you cried; you will come back here.")


def _tear_answer(request, work, note, status=200, **extra):
    if wants_json(request):
        data = selectors.tear_map_json(selectors.tear_map(work))
        return json_answer({"work": work.slug, "message": note, "map": data, **extra}, status)
    messages.success(request, note)
    return redirect(f"{work.get_absolute_url()}#tear-map")


@require_POST
@members_only(back=_work_page, message=TEAR_LOGIN_MESSAGE)
def tear_add(request, slug):
    work = get_object_or_404(Work.objects.published(), slug=slug)
    back = f"{work.get_absolute_url()}#tear-map"
    raw = (request.POST.get("at") or "").strip()
    if not raw:
        return error_answer(request, 400, _("at: missing (a moment such as 3:07)."), back)
    try:
        seconds = parse_moment(raw)
    except ValueError:
        return error_answer(
            request,
            400,
            _("at: “%(raw)s” is not a moment; write seconds, m:ss or h:mm:ss, such as 3:07.")
            % {"raw": raw[:20]},
            back,
        )
    try:
        mark, created = services.tear_mark_add(member=request.user, work=work, at_seconds=seconds)
    except ValidationError as error:
        return error_answer(request, 400, f"at: {error.messages[0]}", back)
    note = (
        _("Marked: you cried at %(at)s.") % {"at": format_moment(mark.at_seconds)}
        if created
        else _("You had already marked a tear at %(at)s.") % {"at": format_moment(mark.at_seconds)}
    )
    return _tear_answer(
        request, work, note, mark={"bucket": mark.bucket, "at": mark.at_seconds}, created=created
    )


@require_POST
@members_only(back=_work_page, message=TEAR_LOGIN_MESSAGE)
def tear_remove(request, slug):
    work = get_object_or_404(Work.objects.published(), slug=slug)
    back = f"{work.get_absolute_url()}#tear-map"
    raw = (request.POST.get("bucket") or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return error_answer(request, 400, _("bucket: not a tear mark of yours."), back)
    removed = services.tear_mark_remove(member=request.user, work=work, bucket=int(raw))
    note = _("Your tear mark was removed.") if removed else _("You had no tear mark there.")
    return _tear_answer(request, work, note, removed=removed)


# --- list reactions ----------------------------------------------------------------------


@require_POST
@members_only(
    back=_list_page, message=gettext_lazy("Log in to react to lists; you will come back here.")
)
def react_to_list(request, slug):
    editorial_list = get_object_or_404(EditorialList.objects.published(), slug=slug)
    back = editorial_list.get_absolute_url()
    reaction = request.POST.get("reaction")
    if reaction is None:
        return error_answer(request, 400, _("reaction: missing."), back)
    if refused := reaction_brake(request, back):
        return refused
    try:
        answer = services.reaction_set(
            member=request.user, editorial_list=editorial_list, reaction=reaction.strip()
        )
    except ValidationError as error:
        return error_answer(request, 400, f"reaction: {error.messages[0]}", back)
    note = (
        _("You reacted: %(reaction)s.") % {"reaction": answer.get_reaction_display()}
        if answer
        else _("Reaction removed.")
    )
    if wants_json(request):
        counts = selectors.reaction_counts(editorial_list)
        return json_answer(
            {
                "list": editorial_list.slug,
                "reaction": answer.reaction if answer else None,
                "message": note,
                "counts": {choice.value: counts[choice] for choice in counts},
                "total_text": ngettext("%(n)s reaction", "%(n)s reactions", sum(counts.values()))
                % {"n": sum(counts.values())},
            }
        )
    messages.success(request, note)
    return redirect(f"{back}#reactions")


# --- rankings ---------------------------------------------------------------------------


class RankingView(TemplateView):
    template_name = "votes/rankings.html"

    def get_context_data(self, **kwargs):
        form = ranking_form(self.request)
        query = self.request.GET.copy()
        query.pop("page", None)
        rows_html = ranking_rows_html(
            form,
            requested_page(self.request),
            filter_query=query.urlencode(),
            member=self.request.user,
        )
        return super().get_context_data(
            form=form,
            order=form.chosen_order,
            orders=Order.CHOICES,
            decades=published_decades(),
            kinds=Work.Kind.choices,
            rows_html=rows_html,
            m=settings.KCRY_RANKING_MIN_RATINGS,
            # The C the stored scores use (refreshed at most KCRY_RANKING_BASELINE_MAX_AGE
            # ago), for the explanation under the tabs.
            baseline_mean=cached_data(
                "ranking-mean", [versions.SITE], [], lambda: current_baseline().mean
            ),
            rising_days=settings.KCRY_RISING_DAYS,
            rising_weight=settings.KCRY_RISING_WEIGHT,
            **kwargs,
        )


def ranking_rows_html(form, number, *, filter_query, member):
    """The rankings' rows and pagination, rendered once per site version, page, filters,
    language and folded content notes (the one part that differs between members), then
    kept in the cache: a hit reads nothing. A page past the last is a 404 (never cached).

    Any write that changes a row (a rating, a staff edit) bumps the site version.
    """

    def render():
        page = strict_page(Paginator(form.rows_queryset(), settings.KCRY_RANKINGS_PER_PAGE), number)
        rows = rows_of(page)
        labels = dict(Work.Kind.choices)  # one gettext per kind, not per row
        for row in rows:
            row.work.kind_label = labels.get(row.work.kind, row.work.kind)
        context = {
            "rows": rows,
            "page_obj": page,
            "form": form,
            "guarded_ids": guarded_work_ids(member, [row.work for row in rows]),
            "filter_query": filter_query,
            "folded_label": _("Poster folded: content note"),
        }
        return render_to_string("votes/_ranking_rows.html", context)

    parts = [filter_query, number, fold_key(member)]
    return cached_fragment("rankings-rows", [versions.SITE], parts, render)


# --- share cards --------------------------------------------------------------------------


def _card_response(request, etag, make_card):
    """The PNG, or 304 when the client already holds this exact card."""
    not_modified = get_conditional_response(request, etag=f'"{etag}"')
    if not_modified is None:
        card = make_card()
        response = HttpResponse(card.png, content_type="image/png")
    else:
        response = not_modified
    response["ETag"] = f'"{etag}"'
    # Browsers and proxies ask again each time (a 304 costs two small queries); the
    # anonymous page cache leaves cards alone, since the card cache is already exact.
    patch_cache_control(
        response, public=True, max_age=settings.KCRY_CARD_MAX_AGE, must_revalidate=True
    )
    return response


def _card_brake(request):
    """Called before a card render that missed the cache: at most KCRY_RATE_CARDS per
    address, so a crawler cannot spend the server's CPU drawing cards."""
    address = client_address(request)

    def brake():
        hit(f"card:{hashed(address)}", *settings.KCRY_RATE_CARDS)

    return brake


def _card_or_too_many(request, etag, make_card):
    try:
        return _card_response(request, etag, make_card)
    except RateLimited as error:
        return too_many_answer(request, error)


def work_card(request, slug):
    work = get_object_or_404(Work.objects.published().select_related("tear_stats"), slug=slug)
    stats = stored_stats(work)
    brake = _card_brake(request)
    return _card_or_too_many(
        request,
        cards.work_card_etag(work, stats),
        lambda: cards.work_card(work, stats, before_render=brake),
    )


def rating_card(request, username, slug):
    rating = get_object_or_404(
        Rating.objects.select_related("member", "work"),
        member__username=username,
        member__is_active=True,
        work__slug=slug,
        work__is_published=True,
    )
    if rating.member.diary_is_private and request.user != rating.member:
        # A private diary's ratings are the member's own: no card for others.
        raise Http404("No such rating card.")
    brake = _card_brake(request)
    response = _card_or_too_many(
        request,
        cards.rating_card_etag(rating),
        lambda: cards.rating_card(rating, before_render=brake),
    )
    if rating.member.diary_is_private:
        del response["Cache-Control"]
        patch_cache_control(response, private=True, no_store=True)
    return response


# --- the moments that made the most members cry ---------------------------------------------


@require_GET
def moments(request):
    """/moments/: the moments on kcry that the most members cried at, each linking to the
    work's player at that second (#t=… starts the player there when pressed)."""
    return render(request, "votes/moments.html", {"moments": selectors.top_moments()})

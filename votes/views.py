"""Votes' pages and writes: rating a work, reacting to a list, rankings, share cards.

Writes follow the site's convention: POST only, members only, the one error answer,
JSON when the page's script asks (Accept: application/json), else a redirect back.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from catalog.models import EditorialList, Work
from catalog.selectors import guarded_work_ids
from kcry_site.web.answers import error_answer, json_answer, wants_json
from kcry_site.web.decorators import members_only
from kcry_site.web.pagination import paginate

from . import cards, selectors, services
from .models import Rating, Tears
from .rankings import Order, ranking_form, rows_of
from .stats import current_baseline

TEARS_PATTERN = re.compile(r"[0-5]")


def _work_page(request, slug):
    return reverse("work", args=[slug])


def _list_page(request, slug):
    return reverse("list", args=[slug])


# --- rating a work ----------------------------------------------------------------------


@require_POST
@members_only(
    back=_work_page, message=gettext_lazy("Log in to rate works; you will come back here.")
)
def rate_work(request, slug):
    work = get_object_or_404(Work.objects.published(), slug=slug)
    back = work.get_absolute_url()
    raw = request.POST.get("tears")
    if raw is None:
        return error_answer(request, 400, _("tears: missing (0 to 5, or empty to withdraw)."), back)
    raw = raw.strip()
    rating = None
    try:
        if raw == "":
            removed = services.rating_withdraw(member=request.user, work=work)
            note = _("Your rating was withdrawn.") if removed else _("You had not rated this work.")
        else:
            if not TEARS_PATTERN.fullmatch(raw):
                raise ValidationError(
                    _("tears: “%(raw)s” is not a tear rating; choose 0 to 5 tissues.")
                    % {"raw": raw[:20]}
                )
            rating = services.rating_set(member=request.user, work=work, tears=int(raw))
            note = _("You rated %(title)s: %(tears)s – %(label)s.") % {
                "title": work.title,
                "tears": rating.tears,
                "label": Tears(rating.tears).label,
            }
    except ValidationError as error:
        return error_answer(request, 400, error.messages[0], back)
    if wants_json(request):
        # The services leave the figures they wrote on `work`, and the rating is known:
        # the panel needs nothing read again.
        panel = selectors.rating_panel(request, work, own=rating)
        return json_answer(
            {
                "work": work.slug,
                "tears": rating.tears if rating else None,
                "message": note,
                "stats": selectors.stats_json(panel["stats"]),
                "html": render_to_string("votes/_work_rating.html", panel, request=request),
            }
        )
    messages.success(request, note)
    return redirect(f"{back}#tear-rating")


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
            }
        )
    messages.success(request, note)
    return redirect(f"{back}#reactions")


# --- rankings ---------------------------------------------------------------------------


class RankingView(TemplateView):
    template_name = "votes/rankings.html"

    def get_context_data(self, **kwargs):
        form = ranking_form(self.request)
        page = paginate(self.request, form.rows_queryset(), settings.KCRY_RANKINGS_PER_PAGE)
        rows = rows_of(page)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            order=form.chosen_order,
            orders=Order.CHOICES,
            decades=Work.objects.published().decades(),
            kinds=Work.Kind.choices,
            page_obj=page,
            rows=rows,
            guarded_ids=guarded_work_ids(self.request.user, [row.work for row in rows]),
            filter_query=query.urlencode(),
            m=settings.KCRY_RANKING_MIN_RATINGS,
            # The C the stored scores use (refreshed at most KCRY_RANKING_BASELINE_MAX_AGE
            # ago), for the explanation under the tabs.
            baseline_mean=current_baseline().mean,
            rising_days=settings.KCRY_RISING_DAYS,
            rising_weight=settings.KCRY_RISING_WEIGHT,
            **kwargs,
        )


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


def work_card(request, slug):
    work = get_object_or_404(Work.objects.published().select_related("tear_stats"), slug=slug)
    stats = cards.stats_of(work)
    return _card_response(
        request, cards.work_card_etag(work, stats), lambda: cards.work_card(work, stats)
    )


def rating_card(request, username, slug):
    rating = get_object_or_404(
        Rating.objects.select_related("member", "work"),
        member__username=username,
        member__is_active=True,
        work__slug=slug,
        work__is_published=True,
    )
    return _card_response(
        request, cards.rating_card_etag(rating), lambda: cards.rating_card(rating)
    )

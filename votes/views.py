"""Rankings, member pages and the write endpoints (rating, list reaction, account deletion).

Writes are POST-only. They answer JSON when the request asks for it (Accept:
application/json or X-Requested-With, as rating.js does) and otherwise redirect back to
the page with a message. Anonymous writers are sent to log in and brought back.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from catalog.forms import first_error
from catalog.http import json_answer, wants_json
from catalog.models import EditorialList, Work
from catalog.pagination import paginate

from . import cards, exporting, members, panels, services
from .models import Rating, Tears
from .rankings import Order, RankingForm, rows_of

User = get_user_model()
TEARS_PATTERN = re.compile(r"[0-5]")


# --- helpers for the write endpoints --------------------------------------------------


def write_error(request, status, message, back_url=None):
    if wants_json(request):
        return json_answer({"error": message}, status=status)
    context = {"status": status, "message": message, "back_url": back_url}
    return render(request, "write_error.html", context, status=status)


def login_needed(request, back_url, message):
    if wants_json(request):
        # The same address redirect_to_login would send a browser to.
        login_url = redirect_to_login(back_url)["Location"]
        return json_answer({"error": message, "login_url": login_url}, status=401)
    messages.info(request, message)
    return redirect_to_login(back_url)


def method_not_allowed(request):
    response = write_error(request, 405, _("Only POST is allowed here: use the form on the page."))
    response["Allow"] = "POST"
    return response


# --- rating a work ----------------------------------------------------------------------


def rate_work(request, slug):
    if request.method != "POST":
        return method_not_allowed(request)
    work = Work.objects.published().filter(slug=slug).first()
    if work is None:
        return write_error(
            request, 404, _("There is no work “%(slug)s” to rate.") % {"slug": slug[:80]}
        )
    back = work.get_absolute_url()
    if not request.user.is_authenticated:
        return login_needed(request, back, _("Log in to rate works; you will come back here."))
    raw = request.POST.get("tears")
    if raw is None:
        return write_error(request, 400, _("tears: missing (0 to 5, or empty to withdraw)."), back)
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
        return write_error(request, 400, error.messages[0], back)
    if wants_json(request):
        # The services leave the figures they wrote on `work`, and the rating is known:
        # the panel needs nothing read again.
        panel = panels.rating_panel(request, work, own=rating)
        return json_answer(
            {
                "work": work.slug,
                "tears": rating.tears if rating else None,
                "message": note,
                "stats": panels.stats_json(panel["stats"]),
                "html": render_to_string("votes/_work_rating.html", panel, request=request),
            }
        )
    messages.success(request, note)
    return redirect(f"{back}#tear-rating")


# --- list reactions ----------------------------------------------------------------------


def react_to_list(request, slug):
    if request.method != "POST":
        return method_not_allowed(request)
    editorial_list = EditorialList.objects.published().filter(slug=slug).first()
    if editorial_list is None:
        return write_error(request, 404, _("There is no list “%(slug)s”.") % {"slug": slug[:80]})
    back = editorial_list.get_absolute_url()
    if not request.user.is_authenticated:
        return login_needed(request, back, _("Log in to react to lists; you will come back here."))
    reaction = request.POST.get("reaction")
    if reaction is None:
        return write_error(request, 400, _("reaction: missing."), back)
    try:
        answer = services.reaction_set(
            member=request.user, editorial_list=editorial_list, reaction=reaction.strip()
        )
    except ValidationError as error:
        return write_error(request, 400, f"reaction: {error.messages[0]}", back)
    note = (
        _("You reacted: %(reaction)s.") % {"reaction": answer.get_reaction_display()}
        if answer
        else _("Reaction removed.")
    )
    if wants_json(request):
        panel = panels.list_community(request, editorial_list)
        return json_answer(
            {
                "list": editorial_list.slug,
                "reaction": answer.reaction if answer else None,
                "message": note,
                "counts": {row["value"]: row["count"] for row in panel["reactions"]},
            }
        )
    messages.success(request, note)
    return redirect(f"{back}#reactions")


# --- rankings ---------------------------------------------------------------------------


def ranking_form(request):
    form = RankingForm(request.GET)
    if not form.is_valid():
        raise BadRequest(first_error(form))
    return form


class RankingView(TemplateView):
    template_name = "votes/rankings.html"

    def get_context_data(self, **kwargs):
        form = ranking_form(self.request)
        page = paginate(self.request, form.rows_queryset(), settings.KCRY_RANKINGS_PER_PAGE)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            order=form.chosen_order,
            orders=Order.CHOICES,
            decades=Work.objects.published().decades(),
            kinds=Work.Kind.choices,
            page_obj=page,
            rows=rows_of(page),
            filter_query=query.urlencode(),
            m=settings.KCRY_RANKING_MIN_RATINGS,
            rising_days=settings.KCRY_RISING_DAYS,
            rising_weight=settings.KCRY_RISING_WEIGHT,
            **kwargs,
        )


# --- member pages -----------------------------------------------------------------------


class MemberView(TemplateView):
    """A member's tear diary: ratings newest first, totals, tears per month."""

    template_name = "votes/member.html"

    def get_context_data(self, **kwargs):
        member = get_object_or_404(User, username=self.kwargs["username"], is_active=True)
        ratings = member.tear_ratings.select_related("work").order_by("-rated_at", "-pk")
        page = paginate(self.request, ratings, settings.KCRY_DIARY_PER_PAGE)
        return super().get_context_data(
            member=member,
            page_obj=page,
            diary=page.object_list,
            totals=members.totals(member),
            chart=members.tears_per_month(member, settings.KCRY_DIARY_MONTHS),
            is_self=self.request.user == member,
            **kwargs,
        )


class CompareView(TemplateView):
    """Two members side by side: shared works, agreement, where they differ most."""

    template_name = "votes/compare.html"

    def get_context_data(self, **kwargs):
        first = get_object_or_404(User, username=self.kwargs["username"], is_active=True)
        second = get_object_or_404(User, username=self.kwargs["other"], is_active=True)
        return super().get_context_data(
            first=first, second=second, comparison=members.compare(first, second), **kwargs
        )


def compare_pick(request, username):
    """The compare form on a member page sends ?other=<username>."""
    other = request.GET.get("other", "").strip()
    if not other:
        raise BadRequest(_("other: name the member to compare with."))
    if not User.objects.filter(username=other, is_active=True).exists():
        messages.error(request, _("There is no member called “%(name)s”.") % {"name": other[:40]})
        return redirect("votes:member", username=username)
    return redirect("votes:compare", username=username, other=other)


@login_required
def export_ratings(request, username):
    if request.user.get_username() != username:
        raise PermissionDenied("You can only export your own ratings.")
    return exporting.csv_response(
        exporting.export_filename(request.user, "ratings"),
        exporting.RATING_FIELDS,
        exporting.rating_rows(request.user),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise ValidationError(_("That is not your password."))
        return password


@login_required
def delete_account(request, username):
    if request.user.get_username() != username:
        raise PermissionDenied("You can only delete your own account.")
    form = DeleteAccountForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        member = request.user
        logout(request)
        removed = services.member_delete(member=member)
        messages.success(
            request,
            _("Your account and its %(count)s rating(s) were deleted. Take care.")
            % {"count": removed},
        )
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "votes/delete_account.html", {"form": form}, status=status)


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

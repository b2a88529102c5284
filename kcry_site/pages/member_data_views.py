"""The member data page: download everything (CSV, JSON), import ratings from a CSV.

Owner only: visitors are sent to log in, other members get 403. An import is checked
whole first (votes.importing.plan_import); one bad row stores nothing and the page
answers 400 with a report of every row that failed, and an offer to import just the
rows that matched (a second, explicit POST: data_import_matched). Stored imports are
braked per member (KCRY_RATE_IMPORTS).
"""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kcry_site.web.ratelimit import RateLimited, hit, wait_text
from votes import exporting, importing

from . import member_data

PROBLEMS_SHOWN = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ratings CSV file"),
        help_text=gettext_lazy(
            "Columns: title, tears (0–5), and if you have them artist, year, title_ko. "
            "A ratings.csv downloaded from this page works as it is."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


def _owner(request, username):
    if request.user.get_username() != username:
        raise PermissionDenied(_("Only the member themself can see and move their data."))
    return request.user


def _page(request, member, *, form=None, plan=None, error="", status=200):
    matched = ""
    if plan is not None and plan.problems and plan.ratings:
        matched = importing.sign_pairs(member=member, pairs=importing.plan_pairs(plan))
    context = {
        "matched": matched,
        "member": member,
        "counts": member_data.counts(member),
        "form": form or ImportForm(),
        "plan": plan,
        "problems": plan.problems[:PROBLEMS_SHOWN] if plan else [],
        "more_problems": max(0, len(plan.problems) - PROBLEMS_SHOWN) if plan else 0,
        "import_error": error,
        "max_bytes": settings.KCRY_IMPORT_MAX_BYTES,
        "max_rows": settings.KCRY_IMPORT_MAX_ROWS,
    }
    return render(request, "pages/member_data.html", context, status=status)


@never_cache
@login_required
@require_GET
def data_page(request, username):
    return _page(request, _owner(request, username))


@never_cache
@login_required
@require_GET
def data_csv(request, username, name):
    member = _owner(request, username)
    if name not in member_data.FILES:
        raise Http404(f"There is no “{name[:40]}” download.")
    return member_data.csv_download(member, name)


@never_cache
@login_required
@require_GET
def data_json(request, username):
    member = _owner(request, username)
    content = json.dumps(member_data.everything(member), ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = exporting.export_filename(member, "all", "json")
    response["Content-Disposition"] = exporting.attachment_header(filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _store(request, member, pairs, *, form=None):
    """Store `pairs` under the member's import brake; the page's answer either way."""
    rate, seconds = settings.KCRY_RATE_IMPORTS
    try:
        with transaction.atomic():
            # Inside the write's transaction: an import that fails takes its event back.
            hit(f"import:{member.pk}", rate, seconds)
            result = importing.apply_pairs(member=member, pairs=pairs)
    except RateLimited as error:
        message = _(
            "You can import ratings %(count)s times an hour. Please wait %(retry)s and "
            "try again; nothing was imported."
        ) % {"count": rate, "retry": wait_text(error.retry_after)}
        response = _page(request, member, form=form, error=message, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    except ValidationError as error:
        # A work was unpublished between the check and the write: the transaction
        # rolled back, so nothing was stored.
        message = _("Nothing was imported: %(reason)s Please try again.") % {
            "reason": error.messages[0]
        }
        return _page(request, member, form=form, error=message, status=400)
    messages.success(
        request,
        ngettext(
            "Imported %(total)s rating: %(added)s new, %(changed)s changed, "
            "%(unchanged)s already as in the file.",
            "Imported %(total)s ratings: %(added)s new, %(changed)s changed, "
            "%(unchanged)s already as in the file.",
            result.total,
        )
        % {
            "total": f"{result.total:,}",
            "added": f"{result.added:,}",
            "changed": f"{result.changed:,}",
            "unchanged": f"{result.unchanged:,}",
        },
    )
    return redirect("member-data", username=member.get_username())


@never_cache
@login_required
@require_http_methods(["POST"])
def data_import(request, username):
    member = _owner(request, username)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, member, form=form, status=400)
    upload = form.cleaned_data["file"]
    limit = settings.KCRY_IMPORT_MAX_BYTES
    try:
        if upload.size > limit:
            raise importing.ImportFileError(
                _("The file is %(size)s bytes; an import can be at most %(limit)s bytes.")
                % {"size": f"{upload.size:,}", "limit": f"{limit:,}"}
            )
        plan = importing.plan_import(upload.read())
    except importing.ImportFileError as error:
        return _page(request, member, form=form, error=str(error), status=400)
    if not plan.ok:
        return _page(request, member, form=form, plan=plan, status=400)
    return _store(request, member, importing.plan_pairs(plan), form=form)


@never_cache
@login_required
@require_http_methods(["POST"])
def data_import_matched(request, username):
    """The second step after a report: store exactly the rows that matched, as signed
    into the page by data_import (nothing was stored before this)."""
    member = _owner(request, username)
    try:
        pairs = importing.unsign_pairs(member=member, token=request.POST.get("matched", ""))
    except importing.ImportTokenError as error:
        return _page(request, member, error=str(error), status=400)
    return _store(request, member, pairs)

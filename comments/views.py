"""Comment writes (POST, CSRF, members only) and the few pages that hold their forms.

Every write redirects back to the thread after success (post/redirect/get) with a
message, or answers JSON when the request prefers it (Accept: application/json).
Bad input stores nothing and gets the form back, filled in, with a clear message
(status 400; 429 when posting too fast).
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import EditorialList, Work
from kcry_site.web.answers import error_answer, json_answer, wants_json
from kcry_site.web.decorators import members_only
from kcry_site.web.ratelimit import RateLimited, reaction_brake

from . import services
from .forms import CommentForm, FlagForm
from .models import Comment
from .selectors import allows_moment, thread_action_url
from .threads import comment_location, replies_page

TARGETS = {
    "work": (Work, "work"),
    "list": (EditorialList, "list"),
}


# --- answering ------------------------------------------------------------------------


def form_errors_json(form, status=400, retry_after=None):
    errors = {name: list(messages) for name, messages in form.errors.items()}
    first = next(iter(errors.values()))[0]
    return with_retry_after(
        json_answer({"error": first, "errors": errors}, status=status), retry_after
    )


def with_retry_after(response, retry_after):
    """`response` with Retry-After when the write was refused for going too fast."""
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def comment_json(comment):
    return {
        "id": comment.pk,
        "url": comment.get_absolute_url(),
        "author": comment.author.get_username(),
        "body": "" if comment.is_removed else comment.body,
        "spoiler": comment.is_spoiler,
        "moment": comment.moment_display or None,
        "parent": comment.parent_id,
        "depth": comment.depth,
        "created": comment.created.isoformat(),
        "edited": comment.edited_at.isoformat() if comment.edited_at else None,
        "me_too": comment.metoo_count,
    }


def safe_next(request, fallback):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def back_to_target(request, kind, slug):
    return reverse(TARGETS[kind][1], args=[slug]) + "#comments"


def back_to_comment(request, pk):
    if request.method == "GET":
        return request.get_full_path()
    return reverse("comments:permalink", args=[pk])


def get_target(kind, slug):
    model, _url_name = TARGETS[kind]
    target = model.objects.published().filter(slug=slug).first()
    if target is None:
        raise Http404(
            _("There is no %(thing)s called “%(slug)s”.")
            % {"thing": model._meta.verbose_name, "slug": slug[:80]}
        )
    return target


def get_comment(pk, user):
    """A comment the user may see (staff see hidden ones), or 404."""
    comment = (
        Comment.objects.shown_to(user)
        .select_related("author", "work", "editorial_list", "parent__author")
        .filter(pk=pk)
        .first()
    )
    if comment is None or not comment.target.is_published:
        raise Http404(_("That comment does not exist or was removed."))
    return comment


def get_own_comment(pk, user, refusal):
    """The user's own comment (see get_comment), else 403 with `refusal`."""
    comment = get_comment(pk, user)
    if comment.author_id != user.pk:
        raise PermissionDenied(refusal)
    return comment


# --- posting --------------------------------------------------------------------------


def form_page(request, *, form, action, heading, target, parent=None, comment=None, status=200):
    return render(
        request,
        "comments/form_page.html",
        {
            "form": form,
            "action": action,
            "heading": heading,
            "target": target,
            "parent": parent,
            "comment": comment,
        },
        status=status,
    )


@require_POST
@members_only(back=back_to_target)
def post(request, kind, slug):
    target = get_target(kind, slug)
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = (
            Comment.objects.select_related("author", "work", "editorial_list")
            .filter(pk=form.cleaned_data["parent"])
            .first()
        )
        if parent is None:
            form.add_error("parent", _("The comment you replied to no longer exists."))
    status = 400
    retry_after = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment, created = services.comment_post(
                author=request.user,
                target=target,
                body=data["body"],
                spoiler=data["spoiler"],
                moment_seconds=data.get("moment"),
                parent=parent,
                token=data["token"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status, retry_after = 429, exc.retry_after
        else:
            if wants_json(request):
                return json_answer(
                    {"comment": comment_json(comment)}, status=201 if created else 200
                )
            if created:
                messages.success(request, _("Your comment is posted."))
            else:
                messages.info(request, _("That comment was already posted; it is stored once."))
            return redirect(comment_location(comment, viewer=request.user))
    if wants_json(request):
        return form_errors_json(form, status=status, retry_after=retry_after)
    if form.has_error("parent"):
        # The reply cannot go where it was meant (that comment was hidden or deleted
        # meanwhile): give the typed text back as a comment of its own, without
        # quoting a comment the member may no longer read.
        form.data = form.data.copy()
        form.data["parent"] = ""
        form.add_error("parent", _("Send it again to post it as a comment of its own."))
        parent = None
    response = form_page(
        request,
        form=form,
        action=request.path,
        heading=_("Your comment was not posted"),
        target=target,
        parent=parent,
        status=status,
    )
    return with_retry_after(response, retry_after)


@require_GET
@members_only(back=back_to_comment)
def reply(request, pk):
    parent = get_comment(pk, request.user)
    if parent.is_removed or not parent.is_public:
        return error_answer(
            request, 400, _("That comment was removed, so it can no longer take replies.")
        )
    form = CommentForm(
        initial={"parent": parent.pk, "token": uuid.uuid4()},
        allow_moment=allows_moment(parent.target),
    )
    return form_page(
        request,
        form=form,
        action=thread_action_url(parent.target),
        heading=_("Reply to %(name)s") % {"name": parent.author.get_username()},
        target=parent.target,
        parent=parent,
    )


@require_http_methods(["GET", "POST"])
@members_only(back=back_to_comment)
def edit(request, pk):
    comment = get_own_comment(pk, request.user, _("Only the author can edit a comment."))
    target = comment.target
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST, allow_moment=allows_moment(target))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.comment_edit(
                    comment=comment,
                    member=request.user,
                    body=data["body"],
                    spoiler=data["spoiler"],
                    moment_seconds=data.get("moment"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if wants_json(request):
                    return json_answer({"comment": comment_json(comment)})
                messages.success(request, _("Your comment is updated."))
                return redirect(comment_location(comment, viewer=request.user))
        if wants_json(request):
            return form_errors_json(form)
    else:
        if not services.can_edit(comment, request.user):
            return error_answer(
                request,
                400,
                _(
                    "This comment can no longer be edited (the edit window has closed or it "
                    "was removed). You can still delete it."
                ),
            )
        form = CommentForm(
            initial={
                "body": comment.body,
                "spoiler": comment.is_spoiler,
                "moment": comment.moment_display,
            },
            allow_moment=allows_moment(target),
        )
    return form_page(
        request,
        form=form,
        action=request.path,
        heading=_("Edit your comment"),
        target=target,
        comment=comment,
        status=status,
    )


@require_http_methods(["GET", "POST"])
@members_only(back=back_to_comment)
def delete(request, pk):
    comment = get_own_comment(pk, request.user, _("Only the author can delete a comment."))
    target = comment.target
    if request.method == "POST":
        kept = services.comment_delete(comment=comment, member=request.user)
        if wants_json(request):
            return json_answer({"deleted": True, "kept_as_placeholder": kept})
        messages.success(request, _("Your comment is deleted."))
        if kept:
            return redirect(comment_location(comment, viewer=request.user))
        return redirect(target.get_absolute_url() + "#comments")
    return render(request, "comments/confirm_delete.html", {"comment": comment, "target": target})


@require_http_methods(["GET", "POST"])
@members_only(back=back_to_comment)
def flag(request, pk):
    comment = get_comment(pk, request.user)
    status = 200
    retry_after = None
    if request.method == "POST":
        form = FlagForm(request.POST, comment=comment)
        status = 400
        if form.is_valid():
            try:
                services.flag_create(
                    member=request.user,
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except RateLimited as exc:
                form.add_error(None, exc.message)
                status, retry_after = 429, exc.retry_after
            else:
                if wants_json(request):
                    return json_answer({"flagged": True}, status=201)
                messages.success(request, _("Thank you: the moderators will take a look."))
                return redirect(safe_next(request, comment_location(comment, viewer=request.user)))
        if wants_json(request):
            return form_errors_json(form, status=status, retry_after=retry_after)
    else:
        form = FlagForm(comment=comment)
    response = render(
        request,
        "comments/flag.html",
        {
            "form": form,
            "comment": comment,
            "target": comment.target,
            "next": safe_next(request, ""),
        },
        status=status,
    )
    return with_retry_after(response, retry_after)


@require_POST
@members_only(back=back_to_comment)
def metoo(request, pk):
    comment = get_comment(pk, request.user)
    mark = {"1": True, "0": False}.get(request.POST.get("mark", ""))
    # One allowance with ratings and list reactions (KCRY_RATE_REACTIONS).
    if refused := reaction_brake(request):
        return refused
    try:
        marked, count = services.metoo_toggle(member=request.user, comment=comment, mark=mark)
    except ValidationError as exc:
        return error_answer(request, 400, exc.messages[0])
    if wants_json(request):
        return json_answer({"me_too": marked, "count": count})
    messages.success(
        request, _("Marked: you cried too.") if marked else _("Your “me too” is taken back.")
    )
    back = safe_next(request, "")
    if back:
        return redirect(back.split("#")[0] + f"#{comment.anchor}")
    return redirect(comment_location(comment, viewer=request.user))


@require_GET
def permalink(request, pk):
    comment = get_comment(pk, request.user)
    return redirect(comment_location(comment, viewer=request.user))


@require_GET
def replies(request, pk):
    """Every reply under a top-level comment, paginated (linked from "N more replies")."""
    top = (
        Comment.objects.top_level_shown_to(request.user)
        .select_related("author", "work", "editorial_list")
        .filter(pk=pk)
        .first()
    )
    if top is None or not top.target.is_published:
        raise Http404(_("That comment does not exist or was removed."))
    page, top_node, nodes = replies_page(
        top=top, viewer=request.user, page_number=request.GET.get("page") or 1
    )
    return render(
        request,
        "comments/replies.html",
        {
            "target": top.target,
            "top": top_node,
            "nodes": nodes,
            "page_obj": page,
            "here": request.get_full_path(),
        },
    )

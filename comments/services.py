"""Every write to comments, me-too marks and flags.

Each function takes keyword arguments only, validates, and writes inside
`transaction.atomic`; views and admin actions call these and nothing else. Bad
input raises ValidationError (a dict keyed by form field where one field is at
fault), a member acting on someone else's comment raises PermissionDenied, and
posting too fast raises RateLimited.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Work
from catalog.text import format_moment
from kcry_site.web import ratelimit, versions
from kcry_site.web.ratelimit import RateLimited  # noqa: F401 (raised here; callers catch it)

from .models import Comment, Flag, MeToo
from .signals import comment_moderated, comment_posted, metoo_marked
from .text import clean_body, has_visible_text

Z_95 = 1.959964  # standard normal quantile for a 95% interval


def wilson_lower_bound(positive: int, total: int, z: float = Z_95) -> float:
    """Lower bound of the Wilson score interval for `positive` successes in `total`.

    A comment's "me too" score counts its me-too marks as successes out of marks plus
    open flags, so 2 marks and no flags (0.34) outrank 3 marks and 1 flag (0.30), and
    a single mark (0.21) does not outrank a steady 10 (0.72).
    """
    if total <= 0:
        return 0.0
    share = positive / total
    z2 = z * z
    centre = share + z2 / (2 * total)
    margin = z * math.sqrt((share * (1 - share) + z2 / (4 * total)) / total)
    return (centre - margin) / (1 + z2 / total)


def edit_deadline(comment):
    return comment.created + timedelta(minutes=settings.KCRY_COMMENT_EDIT_MINUTES)


def can_edit(comment, member) -> bool:
    return (
        member is not None
        and comment.author_id == member.pk
        and comment.is_public
        and not comment.is_removed
        and timezone.now() <= edit_deadline(comment)
    )


def _validated_content(*, target, body, moment_seconds):
    """Clean the text and check the moment; returns (text, errors)."""
    errors = {}
    text = clean_body(body)
    limit = settings.KCRY_COMMENT_MAX_LENGTH
    if not has_visible_text(text):
        errors["body"] = _("Write something first: the comment is empty.")
    elif len(text) > limit:
        errors["body"] = _(
            "A comment can be at most %(limit)s characters; this one has %(length)s. "
            "Please shorten it."
        ) % {"limit": f"{limit:,}", "length": f"{len(text):,}"}
    if moment_seconds is not None:
        if not isinstance(target, Work):
            errors["moment"] = _("A tear moment can only be given for a work, not a list.")
        elif not 0 <= moment_seconds <= (longest := target.longest_moment):
            errors["moment"] = _("A tear moment must be between 0:00 and %(longest)s.") % {
                "longest": format_moment(longest)
            }
    return text, errors


def _take_rate_slot(member):
    """Count one post against the member's sliding-window allowance (KCRY_COMMENT_RATE)."""
    ratelimit.spend(
        f"comment:{member.pk}",
        settings.KCRY_COMMENT_RATE,
        _(
            "You are commenting too fast: at most %(limit)s comments every %(window)s "
            "seconds. Please wait %(retry)s and try again."
        ),
    )


def _touch(comment):
    """Cached pages showing `comment` go stale: its thread's page and members' pages."""
    versions.bump(versions.PEOPLE, versions.of(comment.target))


def _touch_pks(pks):
    for work_slug, list_slug in Comment.objects.filter(pk__in=pks).values_list(
        "work__slug", "editorial_list__slug"
    ):
        versions.bump(versions.PEOPLE, versions.work(work_slug), versions.editorial_list(list_slug))


def _refresh_score(comment_pk):
    metoo, flags = Comment.objects.values_list("metoo_count", "flag_count").get(pk=comment_pk)
    score = wilson_lower_bound(metoo, metoo + flags)
    Comment.objects.filter(pk=comment_pk).update(wilson_score=score)
    return metoo, score


def comment_post(
    *, author, target, body, spoiler=False, moment_seconds=None, parent=None, token=None
):
    """Store a comment (or reply) and return (comment, created).

    A form submitted twice with the same `token` returns the first comment and
    created=False instead of storing a second one.
    """
    if not getattr(target, "is_published", False):
        raise ValidationError(_("This page is not open for comments."))
    text, errors = _validated_content(target=target, body=body, moment_seconds=moment_seconds)
    if parent is not None:
        if parent.target != target:
            errors["parent"] = _("You can only reply to a comment in the same thread.")
        elif not parent.is_public or parent.is_removed:
            errors["parent"] = _("That comment was removed, so it can no longer take replies.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if token is not None:
            earlier = Comment.objects.filter(author=author, form_token=token).first()
            if earlier is not None:
                return earlier, False
        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    **Comment.target_lookup(target),
                    author=author,
                    parent=parent,
                    root=(parent.root or parent) if parent else None,
                    depth=min(parent.depth + 1, Comment.MAX_DEPTH) if parent else 0,
                    body=text,
                    is_spoiler=bool(spoiler),
                    moment_seconds=moment_seconds,
                    form_token=token,
                )
        except IntegrityError:
            # The same form raced itself: the other request stored it first.
            earlier = Comment.objects.filter(author=author, form_token=token).first()
            if token is None or earlier is None:
                raise
            return earlier, False
        # Counted only once the comment is really new, so a resubmitted form never uses
        # up the allowance; over it, the exception rolls the new comment back.
        _take_rate_slot(author)
        comment_posted.send(sender=Comment, comment=comment, created=True)
        versions.bump(versions.PEOPLE, versions.of(target))
    return comment, True


def comment_edit(*, comment, member, body, spoiler=False, moment_seconds=None):
    """Change a comment's text, spoiler flag and moment within the edit window."""
    if comment.author_id != member.pk:
        raise PermissionDenied(_("Only the author can edit a comment."))
    if comment.is_removed or not comment.is_public:
        raise ValidationError(_("This comment was removed and can no longer be edited."))
    if timezone.now() > edit_deadline(comment):
        minutes = settings.KCRY_COMMENT_EDIT_MINUTES
        raise ValidationError(
            _(
                "Comments can be edited for %(minutes)s minutes after posting, and that time "
                "has passed. You can still delete it."
            )
            % {"minutes": minutes}
        )
    text, errors = _validated_content(
        target=comment.target, body=body, moment_seconds=moment_seconds
    )
    if errors:
        raise ValidationError(errors)
    changed = (text, bool(spoiler), moment_seconds) != (
        comment.body,
        comment.is_spoiler,
        comment.moment_seconds,
    )
    if not changed:
        return comment
    with transaction.atomic():
        comment.body = text
        comment.is_spoiler = bool(spoiler)
        comment.moment_seconds = moment_seconds
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "is_spoiler", "moment_seconds", "edited_at"])
        _touch(comment)
    return comment


def comment_delete(*, comment, member):
    """Delete a member's own comment; returns True if it stays as "[deleted]".

    A comment with replies keeps its row (text wiped) so the thread keeps its shape;
    one without is deleted outright, together with any "[deleted]" ancestors that
    are left with no replies at all.
    """
    if comment.author_id != member.pk:
        raise PermissionDenied(_("Only the author can delete a comment."))
    with transaction.atomic():
        _touch(comment)  # in the transaction: bumped again once it commits
        if Comment.objects.filter(parent=comment).exists():
            Comment.objects.filter(pk=comment.pk).update(
                is_removed=True, body="", is_spoiler=False, moment_seconds=None, wilson_score=0.0
            )
            return True
        parent_id = comment.parent_id
        Comment.objects.filter(pk=comment.pk).delete()
        while parent_id is not None:
            ancestor = (
                Comment.objects.filter(pk=parent_id, is_removed=True)
                .annotate(reply_count=Count("replies"))
                .first()
            )
            if ancestor is None or ancestor.reply_count:
                break
            parent_id = ancestor.parent_id
            ancestor.delete()
    return False


def _require_moderator(moderator):
    if moderator is None or not moderator.has_perm("comments.moderate_comment"):
        raise PermissionDenied(_("Only moderators can do this."))


def _pks(comments):
    if isinstance(comments, Comment):
        return [comments.pk]
    if isinstance(comments, models.QuerySet):
        return list(comments.values_list("pk", flat=True))
    return [comment.pk for comment in comments]


def comment_hide(*, comments, moderator):
    """Hide comments from everyone but staff; returns how many changed.

    Replies under a hidden comment stay readable beneath a placeholder. Each comment
    hidden sends comment_moderated, so its author can be told.
    """
    _require_moderator(moderator)
    with transaction.atomic():
        return _set_public(_pks(comments), moderator, public=False)


def comment_restore(*, comments, moderator):
    """Show hidden comments again; their open flags are dismissed (the verdict is made).

    Each comment restored sends comment_moderated.
    """
    _require_moderator(moderator)
    pks = _pks(comments)
    with transaction.atomic():
        count = _set_public(pks, moderator, public=True)
        _dismiss_flags(pks, moderator)
    return count


def _set_public(pks, moderator, *, public):
    """Hide or show the comments among `pks` not already so; returns how many changed."""
    # Locked, so that two moderators acting at once tell each author once (PostgreSQL).
    changing = list(
        Comment.objects.select_for_update()
        .filter(pk__in=pks, is_public=not public)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Comment.objects.filter(pk__in=changing).update(
        is_public=public, moderated_at=timezone.now(), moderated_by=moderator
    )
    action = "restored" if public else "hidden"
    for comment in Comment.objects.filter(pk__in=changing).select_related(
        "author", "work", "editorial_list"
    ):
        comment_moderated.send(sender=Comment, comment=comment, action=action, by=moderator)
        _touch(comment)
    return len(changing)


def flags_dismiss(*, comments, moderator):
    """Dismiss the open flags on comments; returns how many flags were dismissed."""
    _require_moderator(moderator)
    with transaction.atomic():
        return _dismiss_flags(_pks(comments), moderator)


def _dismiss_flags(pks, moderator):
    count = (
        Flag.objects.open()
        .filter(comment__in=pks)
        .update(dismissed_at=timezone.now(), dismissed_by=moderator)
    )
    flagged = Comment.objects.filter(pk__in=pks, flag_count__gt=0).values_list("pk", flat=True)
    flagged = list(flagged)
    for comment_pk in flagged:
        Comment.objects.filter(pk=comment_pk).update(flag_count=0)
        _refresh_score(comment_pk)
    _touch_pks(flagged)
    return count


def _require_open(comment, action):
    if comment.is_removed or not comment.is_public:
        if action == "flagged":
            raise ValidationError(_("That comment was removed, so it cannot be flagged."))
        raise ValidationError(_("That comment was removed, so it cannot be marked."))


def flag_create(*, member, comment, reason, text=""):
    """Report a comment to the moderators, once per member."""
    if comment.author_id == member.pk:
        raise ValidationError(_("You cannot flag your own comment; you can edit or delete it."))
    _require_open(comment, "flagged")
    errors = {}
    if reason not in Flag.Reason.values:
        errors["reason"] = _("Choose a reason from the list.")
    elif reason not in Flag.reasons_for(comment):
        errors["reason"] = _(
            "This comment is already marked as a spoiler and folded; choose another reason."
        )
    details = clean_body(text)
    if len(details) > 500:
        errors["text"] = _("Keep the details under 500 characters (this has %(length)s).") % {
            "length": len(details)
        }
    elif reason == Flag.Reason.OTHER and not has_visible_text(details):
        errors["text"] = _("Tell the moderators what is wrong when you choose “Something else”.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    comment=comment, member=member, reason=reason, text=details
                )
        except IntegrityError:
            raise ValidationError(
                _("You have already flagged this comment; the moderators will look at it.")
            ) from None
        # Counted once the flag is really new; over the allowance, the exception rolls
        # the flag back.
        ratelimit.spend(
            f"flag:{member.pk}",
            settings.KCRY_RATE_FLAGS,
            _(
                "You have flagged %(limit)s comments in a short time; the moderators "
                "will look at them. Please wait %(retry)s before flagging another."
            ),
        )
        Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
        _refresh_score(comment.pk)
        _touch(comment)
    return flag


def metoo_toggle(*, member, comment, mark=None):
    """Add or take back a "me too, I cried" mark; returns (marked, metoo_count).

    `mark` True/False sets the state (so a resubmitted form is harmless); None flips it.
    """
    if comment.author_id == member.pk:
        raise ValidationError(_("That is your own comment; “me too” is for other people’s."))
    _require_open(comment, "marked")
    with transaction.atomic():
        # Lock the comment row so concurrent marks count in turn (PostgreSQL).
        Comment.objects.select_for_update().filter(pk=comment.pk).values_list("pk").first()
        exists = MeToo.objects.filter(member=member, comment=comment).exists()
        want = (not exists) if mark is None else bool(mark)
        if want and not exists:
            MeToo.objects.create(member=member, comment=comment)
            Comment.objects.filter(pk=comment.pk).update(metoo_count=F("metoo_count") + 1)
            metoo_marked.send(sender=Comment, comment=comment, member=member)
        elif exists and not want:
            MeToo.objects.filter(member=member, comment=comment).delete()
            Comment.objects.filter(pk=comment.pk).update(metoo_count=F("metoo_count") - 1)
        count, _score = _refresh_score(comment.pk)
        _touch(comment)
    return want, count


def member_forget(*, member):
    """Take a departing member out of every thread, keeping other people's replies.

    Their "me too" marks and open flags leave the stored counts, and each of their
    comments goes as if they had deleted it themselves: one with replies stays as
    "[deleted]" (its author becomes empty when the account row goes), one without
    disappears. Called when a member account is deleted (see CommentsConfig.ready).
    """
    versions.bump(versions.SITE)
    with transaction.atomic():
        marked = list(
            MeToo.objects.filter(member=member)
            .order_by("comment_id")
            .values_list("comment_id", flat=True)
        )
        for comment_pk in marked:
            Comment.objects.select_for_update().filter(pk=comment_pk).values_list("pk").first()
            MeToo.objects.filter(member=member, comment_id=comment_pk).delete()
            Comment.objects.filter(pk=comment_pk).update(metoo_count=F("metoo_count") - 1)
            _refresh_score(comment_pk)
        flagged = list(
            Flag.objects.open()
            .filter(member=member)
            .order_by("comment_id")
            .values_list("comment_id", flat=True)
        )
        for comment_pk in flagged:
            Comment.objects.filter(pk=comment_pk).update(flag_count=F("flag_count") - 1)
            _refresh_score(comment_pk)
        Flag.objects.filter(member=member).delete()
        # The threads whose "me too" and flag counts changed are kept under their versions.
        _touch_pks(marked + flagged)
        # Deepest first, so a reply goes before the comment it answers.
        own = Comment.objects.filter(author=member).order_by("-depth", "-pk")
        for comment_pk in list(own.values_list("pk", flat=True)):
            comment = Comment.objects.filter(pk=comment_pk).first()
            if comment is not None:  # an ancestor cleared by an earlier deletion is gone
                comment_delete(comment=comment, member=member)

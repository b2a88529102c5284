"""The site's glue between apps that must not import each other.

A tear rating picked while logged out waits in the session (votes.views.PENDING_RATING)
and is saved when the visitor logs in or signs up.

A comment with a tear moment counts as its author's "I cried here" mark at that moment:
comments sends comment_posted, and the site (the top layer, which may import both)
adds the mark through votes' own service, in the comment's transaction.
"""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from catalog.models import Work
from comments.signals import comment_posted
from kcry_site.web import versions
from votes.models import Tears
from votes.services import rating_set, tear_mark_add
from votes.views import PENDING_RATING


@receiver(comment_posted, dispatch_uid="kcry-comment-moment-is-a-tear-mark")
def comment_moment_marks_a_tear(sender, comment, **kwargs):
    if comment.moment_seconds is None or not comment.work_id:
        return
    # comment_post checked the moment against the same bound (Work.longest_moment).
    work = Work.objects.get(pk=comment.work_id)
    tear_mark_add(member=comment.author, work=work, at_seconds=comment.moment_seconds)


# Staff edits of the catalog (admin, shell, suggestion approval) change what index pages,
# work pages and list pages show: every cached anonymous page goes stale (see
# kcry_site/web/versions.py). Members' votes and suggestions go through the services.
CATALOG_SHOWN = {
    "contentnote",
    "person",
    "work",
    "credit",
    "editoriallist",
    "listentry",
    "worknote",
}


def _catalog_shown(sender):
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label != "catalog":
        return False
    if meta.auto_created:  # a many-to-many table, e.g. an entry's works
        return True
    return meta.model_name in CATALOG_SHOWN


@receiver(post_save, dispatch_uid="kcry-catalog-saved-pages-stale")
@receiver(post_delete, dispatch_uid="kcry-catalog-deleted-pages-stale")
@receiver(m2m_changed, dispatch_uid="kcry-catalog-linked-pages-stale")
def catalog_changed(sender, **kwargs):
    if _catalog_shown(sender):
        versions.bump(versions.SITE)


@receiver(user_logged_in, dispatch_uid="kcry-save-the-rating-picked-before-log-in")
def save_pending_rating(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    pending = session.pop(PENDING_RATING, None) if session is not None else None
    if not isinstance(pending, dict):
        return
    work = Work.objects.published().filter(slug=str(pending.get("work", ""))).first()
    tears = pending.get("tears")
    if work is None or tears not in Tears.values:
        return
    try:
        rating = rating_set(member=user, work=work, tears=tears)
    except ValidationError:
        return
    messages.success(
        request,
        _("Your rating was saved: %(title)s, %(tears)s – %(label)s.")
        % {"title": work.title, "tears": rating.tears, "label": Tears(rating.tears).label},
        fail_silently=True,
    )

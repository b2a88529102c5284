"""The other apps' signals, turned into inbox entries. Each signal is sent inside the
writer's transaction, so an entry commits or rolls back with what it reports."""

from catalog.signals import suggestion_decided
from comments.signals import comment_moderated, comment_posted, metoo_marked
from kcry_site.accounts.signals import member_followed

from . import services
from .models import Notification


def on_comment_posted(sender, comment, created, **kwargs):
    if not created or comment.parent_id is None:
        return
    services.notify(
        recipient=comment.parent.author,
        kind=Notification.Kind.REPLY,
        actor=comment.author,
        comment=comment,
    )


def on_metoo_marked(sender, comment, member, **kwargs):
    services.notify_metoo(comment=comment, member=member)


def on_comment_moderated(sender, comment, action, by, **kwargs):
    services.notify(
        recipient=comment.author,
        kind=Notification.Kind.MODERATION,
        actor=by,
        comment=comment,
        detail=action,
    )


def on_suggestion_decided(sender, suggestion, approved, by, **kwargs):
    services.notify(
        recipient=suggestion.member,
        kind=Notification.Kind.SUGGESTION,
        actor=by,
        suggestion=suggestion,
        detail="approved" if approved else "rejected",
    )


def on_member_followed(sender, follower, followed, **kwargs):
    services.notify(recipient=followed, kind=Notification.Kind.FOLLOW, actor=follower)


def connect():
    comment_posted.connect(on_comment_posted, dispatch_uid="inbox-reply")
    metoo_marked.connect(on_metoo_marked, dispatch_uid="inbox-metoo")
    comment_moderated.connect(on_comment_moderated, dispatch_uid="inbox-moderation")
    suggestion_decided.connect(on_suggestion_decided, dispatch_uid="inbox-suggestion")
    member_followed.connect(on_member_followed, dispatch_uid="inbox-follow")

"""The site's glue between apps that must not import each other.

A comment with a tear moment counts as its author's "I cried here" mark at that moment:
comments sends comment_posted, and the site (the top layer, which may import both)
adds the mark through votes' own service, in the comment's transaction.
"""

from django.dispatch import receiver

from catalog.models import Work
from comments.signals import comment_posted
from votes.services import tear_mark_add


@receiver(comment_posted, dispatch_uid="kcry-comment-moment-is-a-tear-mark")
def comment_moment_marks_a_tear(sender, comment, **kwargs):
    if comment.moment_seconds is None or not comment.work_id:
        return
    # comment_post checked the moment against the same bound (Work.longest_moment).
    work = Work.objects.get(pk=comment.work_id)
    tear_mark_add(member=comment.author, work=work, at_seconds=comment.moment_seconds)

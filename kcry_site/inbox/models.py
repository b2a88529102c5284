from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Suggestion
from comments.models import Comment


class Notification(models.Model):
    """One line in a member's inbox. Written only by kcry_site.inbox.services."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Replies to my comments")
        METOO = "metoo", _("“Me too” on my comments")
        MODERATION = "moderation", _("Moderators hiding or restoring my comments")
        SUGGESTION = "suggestion", _("Decisions on works I suggested")
        FOLLOW = "follow", _("New followers")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The member who did it (the latest one, for a batch of "me too").
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "hidden"/"restored" (moderation), "approved"/"rejected" (suggestion).
    detail = models.CharField(max_length=12, blank=True)
    # How many members this entry stands for ("3 members said me too").
    count = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When the entry went out by e-mail (at once or in a digest): never mailed twice.
    mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient}"

    @property
    def is_unread(self):
        return self.read_at is None

    @property
    def comment_state(self):
        """ "deleted", "hidden" or "" (readable) for an entry about a comment."""
        comment = self.comment
        if comment is None or comment.is_removed:
            return "deleted"
        if not comment.is_public:
            return "hidden"
        return ""

    def target_url(self):
        """Where "open" leads: the comment, the work, the follower; None if gone."""
        if self.kind == self.Kind.FOLLOW:
            return self.actor.get_absolute_url() if self.actor_id else None
        if self.kind == self.Kind.SUGGESTION:
            work = self.suggestion.work if self.suggestion_id else None
            return work.get_absolute_url() if work is not None and work.is_published else None
        if self.comment_state:
            return None
        return self.comment.get_absolute_url()

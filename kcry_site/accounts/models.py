from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import usernames

# Kinds of inbox entry a member can switch off (kcry_site.inbox.models.Notification.Kind).
NOTIFICATION_KINDS = [
    ("reply", _("Replies to my comments")),
    ("metoo", _("“Me too” on my comments")),
    ("moderation", _("Moderators hiding or restoring my comments")),
    ("suggestion", _("Decisions on works I suggested")),
    ("follow", _("New followers")),
]


class Delivery(models.TextChoices):
    """How a member hears of one kind of inbox entry (User.notification_settings)."""

    SITE = "site", _("On the site only")
    EMAIL = "email", _("On the site and by e-mail at once")
    DIGEST = "digest", _("On the site and in a daily e-mail digest")
    OFF = "off", _("Off")


# E-mail is opt-in: a kind nobody chose for is on the site only.
DEFAULT_DELIVERY = Delivery.SITE


class User(AbstractUser):
    """A kcry member. The username is the handle in /u/<username>/; the rest is profile.

    Every other app refers to members through settings.AUTH_USER_MODEL only.
    """

    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("Shown beside your username. Leave empty to show the username alone."),
    )
    name_ko = models.CharField(_("Korean name"), max_length=60, blank=True)
    bio = models.TextField(_("about you"), max_length=500, blank=True)
    diary_is_private = models.BooleanField(
        _("private diary"),
        default=False,
        help_text=_(
            "Your ratings still count in every score, but nobody else sees your diary, "
            "your activity or your watchlist."
        ),
    )

    # Unread inbox entries, changed with F() by kcry_site.inbox in the same transaction
    # as the entries, so the header badge costs no query.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    # How each kind of notification reaches the member, {"reply": "email", …}: a Delivery
    # value per kind, missing = DEFAULT_DELIVERY. Read it through notification_delivery();
    # older rows hold booleans (true = on the site, false = off), which it understands.
    notification_settings = models.JSONField(default=dict, blank=True)
    # The look-alike form of the username (usernames.skeleton), filled on save: unique, so
    # no two names that read the same can both be taken. Empty (NULL) only for an account
    # from before skeletons whose name clashed with an older one's.
    username_skeleton = models.CharField(  # noqa: DJ001 - NULL for legacy clashes, unique
        _("username skeleton"),
        max_length=usernames.MAX_LENGTH,
        unique=True,
        null=True,
        editable=False,
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("member")
        verbose_name_plural = _("members")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_username = getattr(instance, "username", None)
        return instance

    def clean(self):
        super().clean()
        if not self.username or self.username == getattr(self, "_loaded_username", None):
            return
        if usernames.is_reserved(self.username):
            raise ValidationError({"username": usernames.RESERVED_MESSAGE}, code="reserved")
        taken = type(self)._default_manager.filter(
            username_skeleton=usernames.skeleton(self.username)
        )
        if self.pk is not None:
            taken = taken.exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError({"username": usernames.LOOKALIKE_MESSAGE}, code="lookalike")

    def save(self, *args, **kwargs):
        wanted = usernames.skeleton(self.username)
        if wanted != self.username_skeleton:
            # An account from before skeletons that clashes keeps NULL; any other
            # clash is refused by the unique column.
            legacy = (
                self.username_skeleton is None
                and self.pk is not None
                and self.username == getattr(self, "_loaded_username", None)
                and type(self)
                ._default_manager.filter(username_skeleton=wanted)
                .exclude(pk=self.pk)
                .exists()
            )
            if not legacy:
                self.username_skeleton = wanted
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        super().save(*args, **kwargs)
        self._loaded_username = self.username

    @property
    def shown_name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("member", args=[self.username])

    def notification_delivery(self, kind) -> Delivery:
        """How the member wants to hear of `kind` (a Notification.Kind value)."""
        chosen = self.notification_settings
        value = chosen.get(kind, DEFAULT_DELIVERY) if isinstance(chosen, dict) else DEFAULT_DELIVERY
        if value is True:
            return Delivery.SITE
        if value is False:
            return Delivery.OFF
        try:
            return Delivery(value)
        except ValueError:
            return DEFAULT_DELIVERY

    def set_notification_delivery(self, kind, delivery):
        """Change one kind in memory (the caller saves notification_settings)."""
        chosen = self.notification_settings
        chosen = dict(chosen) if isinstance(chosen, dict) else {}
        chosen[kind] = Delivery(delivery).value
        self.notification_settings = chosen

    def wants_notification(self, kind):
        """Whether `kind` goes in the inbox at all."""
        return self.notification_delivery(kind) != Delivery.OFF

    def mailed_kinds(self, delivery):
        """The kinds the member wants by e-mail in this way (Delivery.EMAIL or DIGEST)."""
        kinds = [kind for kind, _label in NOTIFICATION_KINDS]
        return [kind for kind in kinds if self.notification_delivery(kind) == delivery]


class Follow(models.Model):
    """`follower` sees what `followed` does in their feed (/feed/)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_links"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_links"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_once"),
            models.CheckConstraint(condition=~Q(follower=F("followed")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followed", "-created"], name="follow_followed_recent")]

    def __str__(self):
        return f"{self.follower} follows {self.followed}"

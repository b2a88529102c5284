from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("member")
        verbose_name_plural = _("members")

    @property
    def shown_name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("member", args=[self.username])

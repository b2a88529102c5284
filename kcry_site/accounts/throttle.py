"""One log-in throttle for every password form, built on django-axes.

Every form that checks a password (site log-in, admin log-in, password change, account
deletion) goes through `django.contrib.auth.authenticate`, so django-axes sees each
attempt. Failures are rows in the database (atomic updates under a row lock, shared by
every worker, never evicted), counted three ways within KCRY_LOGIN_LOCKOUT_SECONDS:

- per account and address: KCRY_LOGIN_MAX_FAILURES (a member mistyping; an attacker at
  one account),
- per address: KCRY_LOGIN_MAX_FAILURES_PER_ADDRESS (password spraying across accounts),
- per account: KCRY_LOGIN_MAX_FAILURES_PER_ACCOUNT (guessing one account from many
  addresses). Higher than the first, so that locking a member out takes many attempts.

django-axes compares one number with one limit, so `TieredHandler` expresses the two
wider counts in units of the first.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils.translation import gettext as _

from kcry_site.web.ratelimit import client_address  # noqa: F401  (named here by settings)

# The order of AXES_LOCKOUT_PARAMETERS in settings, and the setting holding each limit.
TIERS = (
    "KCRY_LOGIN_MAX_FAILURES",
    "KCRY_LOGIN_MAX_FAILURES_PER_ADDRESS",
    "KCRY_LOGIN_MAX_FAILURES_PER_ACCOUNT",
)


def attempted_username(request, credentials):
    """The name an attempt was for, as the throttle stores it.

    Django's log-in form limits the username's length only in the browser, so any length
    reaches `authenticate`; no account name is longer than the model allows, and a longer
    one would not fit django-axes' column (a 500 on PostgreSQL)."""
    source = credentials if credentials is not None else request.POST
    username = (source or {}).get("username") or ""
    limit = get_user_model()._meta.get_field("username").max_length
    return username[:limit]


def failure_limit(request, credentials):
    return settings.KCRY_LOGIN_MAX_FAILURES


def cool_off(request):
    return timedelta(seconds=settings.KCRY_LOGIN_LOCKOUT_SECONDS)


class TieredHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        first = settings.KCRY_LOGIN_MAX_FAILURES
        scaled = []
        for attempts, limit_name in zip(
            self.get_user_attempts(request, credentials), TIERS, strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled.append(failures * first // getattr(settings, limit_name))
        return max(scaled)

    def reset_user_attempts(self, request, credentials=None):
        # A successful log-in clears only this account's failures from this address:
        # clearing the address's whole count would let a sprayer with one working
        # account reset the per-address limit at will.
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _details = pair_attempts.delete()
        return count


def lockout_message():
    minutes = max(1, settings.KCRY_LOGIN_LOCKOUT_SECONDS // 60)
    return _(
        "Too many failed log-ins for this account or from your address. "
        "Please wait %(minutes)d minutes, or reset your password."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    from kcry_site.web.answers import error_answer

    return error_answer(request, 429, lockout_message())

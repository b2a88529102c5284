"""One sliding-window limiter for every brake on the site (sign-ups, password-reset mails,
comments, ratings and reactions, flags).

`hit(key, limit, window_seconds)` records one event for `key` and raises `RateLimited`
when that makes more than `limit` events within the last `window_seconds`. Events are
rows (`RateEvent`), so the count is shared by every worker and survives cache eviction.
The window slides: there is no boundary at which a fresh allowance starts, so a burst
across a minute's edge gets no more through than a burst inside it.

Insert-then-count runs in one transaction, serialised per key (a transaction-scoped
advisory lock on PostgreSQL; SQLite lets one writer in at a time), so N requests at once
let exactly `limit` through. A refused hit takes its own row back with it. Called inside
an outer transaction, the lock and the row last until that transaction ends, and a
rolled-back write takes its event back too.

One key is used with one window: each hit prunes the key's rows older than its window,
and now and then rows of any key older than KCRY_RATE_EVENT_MAX_AGE are swept. A hit
costs two statements on PostgreSQL (the lock; prune, insert and read in one) and two on
SQLite (read, insert; a third to prune when rows have left the window).
"""

import hashlib
import math
import random
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .answers import error_answer
from .models import RateEvent

SWEEP_CHANCE = 0.01


class RateLimited(Exception):
    """Over the limit: `retry_after` is how many seconds until one more is let through."""

    def __init__(self, retry_after, message=None):
        self.retry_after = retry_after
        self.message = message or _(
            "You are doing that too often. Please wait %(retry)s and try again."
        ) % {"retry": wait_text(retry_after)}
        super().__init__(self.message)


def wait_text(seconds):
    """“45 seconds”, “12 minutes”: how long to wait, in the visitor's language."""
    from django.utils.translation import ngettext

    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def hashed(value):
    """A short digest of `value` for a key, so that keys hold no e-mail addresses."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def client_address(request):
    """The visitor's address: REMOTE_ADDR, or behind KCRY_TRUSTED_PROXIES proxies the
    X-Forwarded-For entry the outermost trusted proxy added (earlier ones are forgeable)."""
    hops = settings.KCRY_TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _lock(key):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


# PostgreSQL: prune the key's old events, record this one and read the newest `limit`
# others in one statement. The SELECT sees the table as it was when the statement began
# (the advisory lock, taken by the statement before, makes that the latest state of the
# key), so its rows are the others: neither the new event nor the pruned ones.
HIT = """
WITH pruned AS (DELETE FROM web_rateevent WHERE key = %(key)s AND at <= %(since)s),
     added AS (INSERT INTO web_rateevent (key, at) VALUES (%(key)s, %(now)s))
SELECT at FROM web_rateevent WHERE key = %(key)s AND at > %(since)s
ORDER BY at DESC LIMIT %(limit)s
"""


def _record(key, limit, now, since):
    """Record an event; return the newest `limit` earlier events still in the window."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(HIT, {"key": key, "since": since, "now": now, "limit": limit})
            return [row[0] for row in cursor.fetchall()]
    # Elsewhere: one read of the key's events, a prune only when some have left the window.
    times = list(RateEvent.objects.filter(key=key).order_by("-at").values_list("at", flat=True))
    if times and times[-1] <= since:
        RateEvent.objects.filter(key=key, at__lte=since).delete()
    RateEvent.objects.create(key=key, at=now)
    return [at for at in times if at > since][:limit]


def hit(key, limit, window_seconds, *, savepoint=True):
    """Count one event for `key`; raise RateLimited if over `limit` per `window_seconds`.

    `savepoint=False` inside a caller's transaction saves two statements; a refusal then
    fails that transaction, so the caller must let it roll back (answer, don't write).
    """
    now = timezone.now()
    since = now - timedelta(seconds=window_seconds)
    try:
        with transaction.atomic(savepoint=savepoint):
            _lock(key)
            others = _record(key, limit, now, since)
            if len(others) >= limit:
                # One more gets through once the oldest of the newest `limit` others has
                # left the window. Raising here rolls our row back.
                frees_at = others[limit - 1] + timedelta(seconds=window_seconds) if limit else now
                retry_after = max(1, math.ceil((frees_at - now).total_seconds()))
                raise RateLimited(retry_after)
    finally:
        if random.random() < SWEEP_CHANCE:
            # After the commit: the sweep's DELETE touches every key's rows.
            transaction.on_commit(lambda: sweep(now))


def spend(key, rate, message, *, savepoint=True):
    """`hit(key, *rate)`, refusing with `message` (translated, formatted with %(limit)s,
    %(window)s seconds and %(retry)s, the wait in words) instead of the generic one."""
    limit, window = rate
    try:
        hit(key, limit, window, savepoint=savepoint)
    except RateLimited as error:
        raise RateLimited(
            error.retry_after,
            message % {"limit": limit, "window": window, "retry": wait_text(error.retry_after)},
        ) from None


def reaction_spend(member, *, savepoint=True):
    """Count one rating, list reaction or "me too" change against the member's shared
    allowance (KCRY_RATE_REACTIONS); raise RateLimited, in people's words, when it is
    used up. `savepoint=False` inside the write's own transaction: the event and the
    write then commit together (see `hit`)."""
    spend(
        f"reactions:{member.pk}",
        settings.KCRY_RATE_REACTIONS,
        _("You are changing ratings and reactions too fast. Please wait %(retry)s and try again."),
        savepoint=savepoint,
    )


def reaction_brake(request, back_url=None):
    """`reaction_spend` for a view: None, or the 429 answer."""
    try:
        reaction_spend(request.user)
    except RateLimited as error:
        return too_many_answer(request, error, back_url)
    return None


def sweep(now=None):
    """Delete events of every key older than KCRY_RATE_EVENT_MAX_AGE (the longest window)."""
    now = now or timezone.now()
    age = timedelta(seconds=settings.KCRY_RATE_EVENT_MAX_AGE)
    return RateEvent.objects.filter(at__lt=now - age).delete()[0]


def too_many_answer(request, error, back_url=None, message=None):
    """The site's error answer for a refused hit: 429 with Retry-After."""
    response = error_answer(request, 429, message or error.message, back_url)
    response["Retry-After"] = str(error.retry_after)
    return response

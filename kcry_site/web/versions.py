"""Version numbers for cached pages, kept in the default cache.

A cached page is stored under the versions of what it shows (kcry_site/cache.py): a work
page under its work's version and the site version, a list page under its list's
version and the site version, members' and comment pages under the people version and
the site version, every other page (home, works index, rankings, search, lists) under
the site version. A write bumps the versions of what it changes, so the next request
misses the old copy and everyone sees the change at once; nothing is deleted.

A version that is missing (never bumped, evicted, or the cache is down) starts from the
current time in nanoseconds, so it can never come back to a value an older copy was
stored under. Bumps happen at once and again when the surrounding transaction commits:
a page rendered in between, from the data before the commit, is stored under a version
that the second bump leaves behind.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger("kcry_site.cache")

SITE = "site"
PEOPLE = "people"
# A version outlives the pages stored under it; one that expires restarts from the clock.
VERSION_SECONDS = 7 * 24 * 3600


def work(slug):
    return f"work:{slug}" if slug else None


def editorial_list(slug):
    return f"list:{slug}" if slug else None


def of(target):
    """The scope of a work or an editorial list (by model name: this layer imports no app)."""
    name = target._meta.model_name
    if name == "work":
        return work(target.slug)
    if name == "editoriallist":
        return editorial_list(target.slug)
    return None


def _key(scope):
    return f"kcry:v:{scope}"


def current(*scopes):
    """The versions of `scopes`, as one string for a cache key."""
    keys = [_key(scope) for scope in scopes]
    try:
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                start = time.time_ns()
                added = cache.add(key, start, VERSION_SECONDS)
                if added is None:  # the cache is unreachable (its errors are ignored)
                    break
                found[key] = start if added else cache.get(key)
    except Exception:  # an unreachable cache only costs the page cache
        logger.exception("Could not read page versions")
        found = {}
    return ".".join(str(found.get(key) or time.time_ns()) for key in keys)


def _bump_now(keys):
    """Bump each key; False (and stop) as soon as the cache does not answer, so an
    outage costs one timeout per write, not one per key."""
    for key in keys:
        try:
            if cache.incr(key) is None:  # unreachable, errors ignored (django-redis)
                return False
        except ValueError:  # missing: start from the clock, newer than any old value
            if cache.add(key, time.time_ns(), VERSION_SECONDS) is None:
                return False
        except Exception:
            logger.exception("Could not bump the page version %s", key)
            return False
    return True


def bump(*scopes):
    """Make the cached pages showing `scopes` stale (None entries are skipped)."""
    keys = [_key(scope) for scope in dict.fromkeys(scopes) if scope]
    if _bump_now(keys) and transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(keys))

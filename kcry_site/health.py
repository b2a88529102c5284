"""/healthz: what works and what does not, for load balancers and people on call.

The answer is JSON with one entry per component:

- "database": "ok", "unreachable" (no connection) or "unusable" (connected, but the
  site's tables cannot be read: a removed SQLite file comes back empty, a wrong database,
  missing migrations). A plain SELECT 1 cannot tell the last case from a working site.
- "cache": "ok", "unreachable" (a value written cannot be read back), or "off" for the
  dummy cache. The cache only speeds kcry up, so this never fails the check.
- "disk": for MEDIA_ROOT and, with SQLite, the database's directory: "ok" or
  "read-only" (a file cannot be created there; SQLite needs that for its journal).

The status is 503 only when the site cannot serve pages, that is when the database is
down or unusable: a load balancer should then stop sending traffic here. A broken cache or
a read-only disk answers 200 with "status": "degraded", so one failing Redis does not take
every app server out of rotation. Details stay in the logs, not in this public answer.
"""

import contextlib
import logging
import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from catalog.models import Work

logger = logging.getLogger(__name__)


def check_database():
    try:
        connection.ensure_connection()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return "unreachable"
    # Inside a transaction (as in tests), a savepoint keeps a failure here from aborting it.
    # Outside one, no transaction at all: SQLite's BEGIN IMMEDIATE would take the write lock.
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard:
            # One row of a table every catalog page reads: SELECT 1 would succeed on an
            # empty database too.
            list(Work.objects.order_by().values_list("pk", flat=True)[:1])
    except DatabaseError:
        logger.exception("Health check: the database cannot be read")
        return "unusable"
    return "ok"


def check_cache():
    if settings.CACHES["default"]["BACKEND"].endswith("DummyCache"):
        return "off"
    # Errors are ignored by the Redis cache (a miss instead: see cache_config in settings),
    # so the only sure sign of an outage is a value that does not come back.
    # A key of this check's own: app servers checking at once must not read each other's.
    key = f"kcry:health:{uuid.uuid4().hex}"
    cache.set(key, True, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found is not True:
        logger.error("Health check: the cache is unreachable")
        return "unreachable"
    return "ok"


def _writable(directory):
    """Whether a file can be created in the directory (made first, as uploads would)."""
    try:
        os.makedirs(directory, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".kcry-health-"):
            pass
    except OSError:
        logger.exception("Health check: cannot write in %s", directory)
        return "read-only"
    return "ok"


def check_disk():
    disk = {"media": _writable(settings.MEDIA_ROOT)}
    if connection.vendor == "sqlite":
        disk["database"] = _writable(Path(connection.settings_dict["NAME"]).parent)
    return disk


@never_cache
def health(request):
    answer = {"database": check_database(), "cache": check_cache(), "disk": check_disk()}
    if answer["database"] != "ok":
        status, code = "error", 503
    elif answer["cache"] == "unreachable" or set(answer["disk"].values()) != {"ok"}:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, **answer}, status=code)

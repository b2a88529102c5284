"""Periodic jobs of the stored figures, run by the task queue's beat (CELERY_BEAT_SCHEDULE
in the settings) when a broker is configured."""

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from . import stats

logger = logging.getLogger(__name__)


@shared_task(name="votes.tasks.check_stored_figures")
def check_stored_figures():
    """The nightly recount check (`recompute_rating_stats --check`): compare every stored
    figure with the rows it counts, change nothing, log any drift and mail it to staff.
    Returns the drift, one line per work or list."""
    drifts = [str(drift) for drift in stats.recompute_all(fix=False)]
    if not drifts:
        logger.info("recount check: stored figures match the ratings and reactions")
        return []
    for drift in drifts:
        logger.warning("recount check: drift: %s", drift)
    staff = (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if staff:
        body = (
            f"The nightly recount found {len(drifts)} stored figure(s) that differ from the "
            "rows they count. Fix them with `manage.py recompute_rating_stats`.\n\n"
            + "\n".join(drifts)
        )
        send_mail(f"kcry: {len(drifts)} stored figure(s) drifted", body, None, list(staff))
    return drifts


@shared_task(name="votes.tasks.refresh_ranking_baseline")
def refresh_ranking_baseline():
    """Recompute the ranking's mean C and rewrite every score with it (votes.stats)."""
    baseline = stats.refresh_scores()
    return baseline.mean

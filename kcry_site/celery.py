"""The task queue: Celery, configured from Django's settings (the CELERY_* names).

With no CELERY_BROKER_URL (`make run`, the tests) every task runs in-process, eagerly,
after the transaction that asked for it commits: nothing else needs to run. With
CELERY_BROKER_URL=redis://… a worker (`celery -A kcry_site worker`) runs them and beat
(`celery -A kcry_site beat`) starts the periodic jobs of CELERY_BEAT_SCHEDULE.

Tasks live in each app's tasks.py (found by autodiscovery) and are enqueued only with
`transaction.on_commit(lambda: task.delay(...))`, with ids and strings, never objects.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcry_site.settings")

app = Celery("kcry_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

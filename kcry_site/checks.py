"""The site refuses to serve with DEBUG off on no SECRET_KEY or on the development one.

The refusal is where the site is served: when the WSGI/ASGI application is made (gunicorn,
and `runserver`, which loads WSGI_APPLICATION), and in `check --deploy`. Commands that sign
nothing (makemigrations, collectstatic) still run without a key.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

MESSAGE = (
    "Set SECRET_KEY in the environment: with DEBUG off, kcry does not start on the "
    "development key or on none."
)


def secret_key_is_insecure():
    if settings.DEBUG:
        return False
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty key
        return True
    return key == settings.DEVELOPMENT_SECRET_KEY


@register(deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    if secret_key_is_insecure():
        return [Error(MESSAGE, id="kcry.E001")]
    return []


def refuse_insecure_secret_key():
    if secret_key_is_insecure():
        raise ImproperlyConfigured(MESSAGE)

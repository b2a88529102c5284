import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcry_site.settings")
application = get_wsgi_application()

from kcry_site.checks import refuse_insecure_secret_key  # noqa: E402 - needs the settings

refuse_insecure_secret_key()

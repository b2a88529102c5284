import pytest


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    return f"kcry database: {engine} ({database.get('HOST') or 'local'})"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Every test gets its own MEDIA_ROOT, a fast hasher and in-memory e-mail."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    # The anonymous page cache is off unless a test is about it.
    settings.CACHE_MIDDLEWARE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a request in Korean leaves the thread's language
    active after it (Django's LocaleMiddleware does not reset it)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def founding_lists(db):
    """The five source lists, loaded the way `make run` loads them."""
    from catalog.seeding import load_founding_lists

    return load_founding_lists()

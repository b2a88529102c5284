"""kcry settings, read from the environment (and an optional .env file).

Every value has a safe default for local development; production sets at least
DEBUG=0, SECRET_KEY and ALLOWED_HOSTS (see .env.example).
"""

import os
import tempfile
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless the environment turns it on (`make run` does, for local use).
DEBUG = env.bool("DEBUG", default=False)
# The fallback key is only good for a developer's laptop: with DEBUG off the site refuses
# to serve on it (or on no key at all), since it would make sessions and reset links
# forgeable. The refusal is in kcry_site/checks.py (the system checks and the WSGI/ASGI
# entry points), so that commands which sign nothing, such as makemigrations, still run.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so their registration/ and error templates win over the admin's.
    "kcry_site.accounts",
    "kcry_site",
    "kcry_site.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "adminsortable2",
    "axes",
    "catalog",
    "votes",
    "comments",
    "kcry_site.inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads a request body (CSRF does); after the middleware that add
    # security headers, so that its 413 answer carries them too.
    "kcry_site.limits.BodySizeLimitMiddleware",
    "kcry_site.cache.UpdateAnonymousCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known (its 400 page speaks it), before CSRF reads the form.
    "kcry_site.limits.NullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kcry_site.web.middleware.ExplainMethodNotAllowed",
    # Answers a locked-out log-in attempt (see kcry_site/accounts/throttle.py).
    "axes.middleware.AxesMiddleware",
    "kcry_site.cache.FetchAnonymousCacheMiddleware",
]

ROOT_URLCONF = "kcry_site.urls"
WSGI_APPLICATION = "kcry_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if "ENGINE" not in DATABASES["default"]:
    # django-environ turns text it cannot parse (a stray line before the URL, say) into a
    # dictionary with no engine; stop here rather than fail later with a KeyError.
    raise ImproperlyConfigured("DATABASE_URL is not a database URL, e.g. postgres://u:p@host/db")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a rating is written; the busy timeout makes
    # concurrent writers wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests run on a file (one per test process), not in memory: threads that write
    # at once (the concurrency tests) need a database they can all open.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"kcry-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A kept-open connection dies unseen when the database restarts; checking it before a
    # request reuses it means the first request after the restart does not fail on it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


# How long a Redis cache call may wait, in seconds, to connect and then for an answer.
# Redis answers in well under a millisecond on a healthy network; waiting longer only
# makes every request slow while Redis hangs.
KCRY_CACHE_TIMEOUT = env.float("KCRY_CACHE_TIMEOUT", default=0.25)


def cache_config(url):
    """The CACHES entry for a CACHE_URL (tests build Redis caches the same way).

    The cache only speeds kcry up, so a Redis outage must not take the site down:
    django-redis's IGNORE_EXCEPTIONS turns a refused, dropped or timed-out call into a
    miss (get answers its default, set/add/incr/delete answer None), and the pool connects
    again on the next call once Redis is back. Options given in the URL's query string
    (e.g. ?socket_timeout=0.5) win over these defaults.
    """
    config = environ.Env.cache_url_config(url)
    if "redis" in config["BACKEND"].lower():
        if config["BACKEND"] != "django_redis.cache.RedisCache":
            # Django's own RedisCache raises on every outage: refuse it rather than go down.
            raise ImproperlyConfigured(
                "CACHE_URL=redis://… needs django-redis (pip install 'kcry[redis]')"
            )
        options = config.setdefault("OPTIONS", {})
        options.setdefault("IGNORE_EXCEPTIONS", True)
        options.setdefault("SOCKET_CONNECT_TIMEOUT", KCRY_CACHE_TIMEOUT)
        options.setdefault("SOCKET_TIMEOUT", KCRY_CACHE_TIMEOUT)
    return config


CACHES = {"default": cache_config(env.str("CACHE_URL", default="locmemcache://kcry"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses locked-out attempts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
CSRF_FAILURE_VIEW = "kcry_site.accounts.views.csrf_failure"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kcry <noreply@localhost>")
# Where links in e-mail point (mail is written by the task queue, outside any request).
KCRY_SITE_URL = env.str("KCRY_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# An unsubscribe link in a mail works this long (seconds).
KCRY_UNSUBSCRIBE_MAX_AGE = env.int("KCRY_UNSUBSCRIBE_MAX_AGE", default=90 * 24 * 3600)

# --- kcry's own tunables -------------------------------------------------------------
# Largest poster upload accepted, in bytes and in pixels (width x height).
KCRY_POSTER_MAX_BYTES = env.int("KCRY_POSTER_MAX_BYTES", default=5 * 1024 * 1024)
KCRY_POSTER_MAX_PIXELS = env.int("KCRY_POSTER_MAX_PIXELS", default=25_000_000)
# Smallest poster accepted (width, height in pixels, upright): cards show posters at 240×360.
KCRY_POSTER_MIN_SIZE = (
    env.int("KCRY_POSTER_MIN_WIDTH", default=100),
    env.int("KCRY_POSTER_MIN_HEIGHT", default=150),
)
KCRY_POSTER_THUMB_SIZE = (240, 360)
# Request bodies (kcry_site.limits): larger ones are refused with 413 before they are read.
# The largest legitimate body is a poster upload with its admin form, hence the margin.
KCRY_MAX_BODY_BYTES = env.int("KCRY_MAX_BODY_BYTES", default=KCRY_POSTER_MAX_BYTES + 2**20)
# Form fields (everything but uploaded files) Django keeps in memory; beyond it, 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2**20)
# Uploads up to this size stay in memory (a ratings CSV); larger ones (posters) are
# streamed to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2**20)
KCRY_WORKS_PER_PAGE = env.int("KCRY_WORKS_PER_PAGE", default=24)
KCRY_API_PAGE_SIZE = env.int("KCRY_API_PAGE_SIZE", default=20)
KCRY_SEARCH_LIMIT = env.int("KCRY_SEARCH_LIMIT", default=50)

# Tear ratings and rankings (votes). The community score is the Bayesian mean
# (sum + m·C) / (n + m); m is KCRY_RANKING_MIN_RATINGS, C the mean of all ratings,
# refreshed in every stored score when older than KCRY_RANKING_BASELINE_MAX_AGE seconds.
KCRY_RANKING_MIN_RATINGS = env.int("KCRY_RANKING_MIN_RATINGS", default=5)
KCRY_RANKING_DEFAULT_MEAN = 2.5  # C before anything is rated: the middle of 0-5
KCRY_RANKING_BASELINE_MAX_AGE = env.int("KCRY_RANKING_BASELINE_MAX_AGE", default=3600)
KCRY_RANKINGS_PER_PAGE = env.int("KCRY_RANKINGS_PER_PAGE", default=50)
# "Rising": ratings of the last KCRY_RISING_DAYS days count KCRY_RISING_WEIGHT times.
KCRY_RISING_DAYS = 30
KCRY_RISING_WEIGHT = 3
KCRY_DIARY_PER_PAGE = env.int("KCRY_DIARY_PER_PAGE", default=50)
KCRY_INBOX_PER_PAGE = env.int("KCRY_INBOX_PER_PAGE", default=30)
KCRY_FEED_PER_PAGE = env.int("KCRY_FEED_PER_PAGE", default=30)
KCRY_FOLLOWS_PER_PAGE = env.int("KCRY_FOLLOWS_PER_PAGE", default=50)
KCRY_COMPARE_PER_PAGE = env.int("KCRY_COMPARE_PER_PAGE", default=50)
KCRY_DIARY_MONTHS = 12
# Failed password checks allowed within KCRY_LOGIN_LOCKOUT_SECONDS before a pause: per
# (account, address), per address (spraying) and per account (from many addresses).
KCRY_LOGIN_MAX_FAILURES = env.int("KCRY_LOGIN_MAX_FAILURES", default=5)
KCRY_LOGIN_MAX_FAILURES_PER_ADDRESS = env.int("KCRY_LOGIN_MAX_FAILURES_PER_ADDRESS", default=30)
KCRY_LOGIN_MAX_FAILURES_PER_ACCOUNT = env.int("KCRY_LOGIN_MAX_FAILURES_PER_ACCOUNT", default=50)
KCRY_LOGIN_LOCKOUT_SECONDS = env.int("KCRY_LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# django-axes runs that throttle (kcry_site/accounts/throttle.py); the three lockout
# parameters are in the order of throttle.TIERS.
AXES_HANDLER = "kcry_site.accounts.throttle.TieredHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_FAILURE_LIMIT = "kcry_site.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "kcry_site.accounts.throttle.cool_off"
AXES_CLIENT_IP_CALLABLE = "kcry_site.accounts.throttle.client_address"
AXES_USERNAME_CALLABLE = "kcry_site.accounts.throttle.attempted_username"
AXES_LOCKOUT_CALLABLE = "kcry_site.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A locked-out visitor who keeps trying does not extend their own pause.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# How many proxies in front of kcry append to X-Forwarded-For. 0 (the default): trust no
# header and take the connection's address; behind one proxy, 1 takes the address that
# proxy saw. Only this many hops are trusted: a client can forge the entries before them.
KCRY_TRUSTED_PROXIES = env.int("KCRY_TRUSTED_PROXIES", default=0)


# Brakes (kcry_site/web/ratelimit.py): (count, seconds) pairs, each a sliding window kept
# in the database. Override with KCRY_RATE_<NAME>_COUNT and KCRY_RATE_<NAME>_SECONDS.
def _rate(name, count, seconds):
    return (
        env.int(f"KCRY_RATE_{name}_COUNT", default=count),
        env.int(f"KCRY_RATE_{name}_SECONDS", default=seconds),
    )


KCRY_RATE_SIGNUPS = _rate("SIGNUPS", 5, 3600)  # accounts created per address
KCRY_RATE_RESET_ADDRESS = _rate("RESET_ADDRESS", 10, 3600)  # reset requests per address
KCRY_RATE_RESET_EMAIL = _rate("RESET_EMAIL", 3, 3600)  # reset mails per e-mail address
# Ratings, list reactions and "me too" marks, per member, all counted together.
KCRY_RATE_REACTIONS = _rate("REACTIONS", 30, 60)
KCRY_RATE_FLAGS = _rate("FLAGS", 10, 3600)  # flags per member
KCRY_RATE_IMPORTS = _rate("IMPORTS", 3, 3600)  # ratings imports stored per member
KCRY_RATE_CARDS = _rate("CARDS", 30, 60)  # share cards drawn (cache misses) per address
# Events older than this (at least the longest window above) are swept now and then.
KCRY_RATE_EVENT_MAX_AGE = env.int("KCRY_RATE_EVENT_MAX_AGE", default=24 * 3600)

# Usernames nobody can sign up with (nor with one that looks like them: see
# kcry_site/accounts/usernames.py). Comma-separated in the environment.
KCRY_RESERVED_USERNAMES = env.list(
    "KCRY_RESERVED_USERNAMES",
    default=[
        "admin", "administrator", "staff", "moderator", "mod", "kcry", "support", "root",
        "system", "null", "none", "api", "accounts", "account", "u", "help", "official",
    ],
)  # fmt: skip

# Comment threads (comments). Length is counted in characters after invisible ones
# are stripped; a member may post KCRY_COMMENT_RATE[0] comments in any
# KCRY_COMMENT_RATE[1] seconds (a sliding window); threads page by top-level comment.
KCRY_COMMENT_MAX_LENGTH = env.int("KCRY_COMMENT_MAX_LENGTH", default=3000)
KCRY_COMMENT_EDIT_MINUTES = env.int("KCRY_COMMENT_EDIT_MINUTES", default=15)
KCRY_COMMENT_RATE = (
    env.int("KCRY_COMMENT_RATE_COUNT", default=5),
    env.int("KCRY_COMMENT_RATE_SECONDS", default=60),
)
# "I cried here" marks: one per member per bucket of this many seconds; without a
# runtime set on the work, a mark may be at most KCRY_TEAR_MAX_SECONDS in.
KCRY_TEAR_BUCKET_SECONDS = env.int("KCRY_TEAR_BUCKET_SECONDS", default=5)
KCRY_TEAR_MAX_SECONDS = env.int("KCRY_TEAR_MAX_SECONDS", default=4 * 3600)
KCRY_COMMENTS_PER_PAGE = env.int("KCRY_COMMENTS_PER_PAGE", default=20)
# Replies shown under one top-level comment on the thread page (at least 1); the rest
# are on that comment's own replies page (/comments/<id>/replies/), this many a page.
KCRY_COMMENT_REPLIES_SHOWN = env.int("KCRY_COMMENT_REPLIES_SHOWN", default=50)

# Work suggestions (catalog): how many may wait for staff per member at once.
KCRY_SUGGESTIONS_PENDING_MAX = env.int("KCRY_SUGGESTIONS_PENDING_MAX", default=10)
# Newest visible comments in a work's comment feed (RSS and Atom).
KCRY_COMMENT_FEED_ITEMS = env.int("KCRY_COMMENT_FEED_ITEMS", default=30)

# Member data: a ratings import is checked whole and stored all or nothing, within
# these limits (bytes of the uploaded CSV, data rows).
KCRY_IMPORT_MAX_BYTES = env.int("KCRY_IMPORT_MAX_BYTES", default=1024 * 1024)
KCRY_IMPORT_MAX_ROWS = env.int("KCRY_IMPORT_MAX_ROWS", default=5000)
# URLs on one sitemap page (the sitemap index at /sitemap.xml names every page).
KCRY_SITEMAP_LIMIT = env.int("KCRY_SITEMAP_LIMIT", default=2000)
# How long the "import the rows that matched" offer stays valid after the check.
KCRY_IMPORT_CONFIRM_SECONDS = env.int("KCRY_IMPORT_CONFIRM_SECONDS", default=3600)

# Share cards (votes.cards): PNGs drawn with a font that has Hangul glyphs. Debian's
# fonts-noto-cjk provides it; face 1 of the collection is the Korean one. Without the
# file, cards use Pillow's built-in Latin-only font (Korean shows as boxes) and warn.
KCRY_CARD_FONT = env.str(
    "KCRY_CARD_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)
KCRY_CARD_FONT_BOLD = env.str(
    "KCRY_CARD_FONT_BOLD", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
)
KCRY_CARD_FONT_INDEX = env.int("KCRY_CARD_FONT_INDEX", default=1)
# Rendered cards stay in the default cache this long (they are keyed by their figures,
# so a change makes a new card at once); browsers revalidate after KCRY_CARD_MAX_AGE.
KCRY_CARD_CACHE_SECONDS = env.int("KCRY_CARD_CACHE_SECONDS", default=7 * 24 * 3600)
KCRY_CARD_MAX_AGE = env.int("KCRY_CARD_MAX_AGE", default=0)
# Rating cards (one per member × work) stay in the cache only this long, so a crawl of
# them cannot flood it; 0 keeps none.
KCRY_CARD_RATING_CACHE_SECONDS = env.int("KCRY_CARD_RATING_CACHE_SECONDS", default=600)

# --- the task queue (Celery, kcry_site/celery.py) -------------------------------------
# Empty (the default): tasks run in-process once the transaction that asked for them
# commits, and nothing else has to run. redis://…: a worker (`celery -A kcry_site worker`)
# runs them and beat (`celery -A kcry_site beat`) starts the periodic jobs below.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Nothing is ever sent to it; the in-memory transport keeps Celery from reaching for a
    # broker on localhost.
    CELERY_BROKER_URL = "memory://localhost/"
# An eager task that fails (a mail server down) is logged, not raised into the request.
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A mail is acknowledged once sent, so a worker killed mid-task runs it again elsewhere.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hour (local time, TIME_ZONE) of the daily digest mail and of the nightly recount check.
KCRY_DIGEST_HOUR = env.int("KCRY_DIGEST_HOUR", default=8)
KCRY_RECOUNT_HOUR = env.int("KCRY_RECOUNT_HOUR", default=4)
CELERY_BEAT_SCHEDULE = {
    # votes.stats.recompute_all(fix=False): log and mail staff any drift of stored figures.
    "recount-check": {
        "task": "votes.tasks.check_stored_figures",
        "schedule": crontab(hour=KCRY_RECOUNT_HOUR, minute=0),
    },
    # One mail per member who chose the daily digest for some kind of notification.
    "daily-digest": {
        "task": "kcry_site.inbox.tasks.send_daily_digests",
        "schedule": crontab(hour=KCRY_DIGEST_HOUR, minute=0),
    },
    # The ranking's baseline mean C (votes.stats.refresh_scores); with a broker, requests
    # no longer refresh it themselves.
    "ranking-baseline": {
        "task": "votes.tasks.refresh_ranking_baseline",
        "schedule": float(KCRY_RANKING_BASELINE_MAX_AGE),
    },
}

# --- production serving ----------------------------------------------------------------
# `make bench` turns on /bench/bare, a view that renders a fixed string, as its baseline.
KCRY_BENCH_VIEW = env.bool("KCRY_BENCH_VIEW", default=False)
# Anonymous GET pages are cached briefly (members always get fresh pages: see
# kcry_site/cache.py). 0 turns the page cache off.
CACHE_MIDDLEWARE_SECONDS = env.int("KCRY_ANON_CACHE_SECONDS", default=30)
CACHE_MIDDLEWARE_KEY_PREFIX = "page"
# Rendered fragments of members' pages (the rankings' rows) are keyed by the versions of
# what they show (kcry_site/web/versions.py), so this only bounds the memory they take.
KCRY_FRAGMENT_CACHE_SECONDS = env.int("KCRY_FRAGMENT_CACHE_SECONDS", default=600)
# How long a member page keeps its compare suggestions (votes.selectors.compare_candidates).
KCRY_COMPARE_CANDIDATES_SECONDS = env.int("KCRY_COMPARE_CANDIDATES_SECONDS", default=3600)
# With a shared cache (Redis), sessions are read from it and written through to the
# database; with the per-process default cache they stay in the database, so that a
# log-out on one app server is seen by all.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else "django.contrib.sessions.backends.cached_db"
)

# An ignored cache error is still logged (with its traceback), so an outage shows in the
# logs as well as on /healthz.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "kcry_site.cache"

# HTTPS: on by default whenever DEBUG is off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    # The proxy terminates TLS and says so in this header; trust it only when set up so.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts only from our own static files.
# Inline style attributes are allowed (the histogram bars use them); inline scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The click-to-load player (kcry_site/static/kcry/player.js): these two
        # privacy-enhanced embeds only, and only once the visitor clicks.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    }
}

# Logs go to stdout; LOG_FORMAT=json gives one JSON object a line for log collectors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every attempt at INFO; lockouts (WARNING) are what operators need.
    "loggers": {"axes": {"level": "WARNING"}},
}

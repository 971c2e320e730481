"""Settings for the smart-city maturity app, read from the environment.

With nothing set the app runs on a local SQLite file, runs Celery tasks eagerly in-process and
caches in local memory, so `make run` works on a bare machine. DATABASE_URL and REDIS_URL switch
to PostgreSQL and Redis with real workers. Every variable is documented in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present (docker-compose uses the same file); real
# environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Only a DEBUG run may fall back to a fixed key; anything else must be given a real one.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set unless DEBUG=1 (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-make-run"
# Earlier keys, still accepted for signatures (sessions, password-reset links) while rotating; new
# signatures use SECRET_KEY only. See docs/operations.md, "Rotating the secret key".
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# The loopback names are always allowed: container health checks call /healthz on them.
ALLOWED_HOSTS = [*env.list("ALLOWED_HOSTS", default=[]), "127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "smartcity",
    "assessments",
    "masterplan",
    "evaluations",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "smartcity.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Officials often work on slow connections; pages compress to a fraction of their size.
    # (Django's GZipMiddleware pads responses against BREACH since 4.2.)
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "smartcity.middleware.SessionRenewalMiddleware",
    "smartcity.middleware.PreferredLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "smartcity.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "smartcity.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartcity.urls"
WSGI_APPLICATION = "smartcity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smartcity.context_processors.navigation",
            ],
        },
    },
]

# --- What each app adds to shared parts, in layer order (smartcity <- assessments <- masterplan):
# its demo data for `seed_demo` and its links in the navigation bar. The core never names an app.
DEMO_SEEDERS = [
    "smartcity.demo.seed",
    "assessments.demo.seed",
    "masterplan.demo.seed",
    "evaluations.demo.seed",
]
NAVIGATION_PROVIDERS = [
    "smartcity.navigation.entries",
    "assessments.navigation.entries",
    "masterplan.navigation.entries",
    "evaluations.navigation.entries",
    "dashboards.navigation.entries",
]
HOME_PANELS = ["assessments.navigation.official_home_panel"]
REPORT_PANELS = ["masterplan.navigation.report_panel"]

# --- Database: SQLite file unless DATABASE_URL is set ---
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, result backend and cache when REDIS_URL (or CELERY_BROKER_URL) is set ---
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
# No broker configured: run tasks in-process, and let their errors surface where they are queued.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only when done, so a worker lost mid-task leaves it for another worker;
# tasks are written to be idempotent for that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Publishing never stalls a request: one connection attempt of at most this many seconds, no
# publish retry (`smartcity.jobs.outbox_publish` keeps the message and beat sends it later).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.5)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 5,
    # A task taken by a worker that then vanished (killed, machine lost) goes back to the queue
    # after this many seconds. Longer than any task's run time and retry countdown.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# Beat (its own process; see docker-compose.yml and docs/operations.md) resends the outbox.
OUTBOX_RESEND_AFTER_SECONDS = env.int("OUTBOX_RESEND_AFTER_SECONDS", default=30)
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=14)
CELERY_BEAT_SCHEDULE = {
    "outbox-resend": {
        "task": "smartcity.outbox_resend",
        "schedule": env.float("OUTBOX_RESEND_EVERY_SECONDS", default=60),
        "options": {"expires": 55},
    },
    "export-cleanup": {
        "task": "masterplan.export_cleanup",
        "schedule": env.float("EXPORT_CLEANUP_EVERY_SECONDS", default=6 * 3600),
        "options": {"expires": 3600},
    },
}
# Master-plan exports: files older than this are deleted (the job row stays, without a file);
# kaleido draws the book's charts with this browser (Debian's chromium).
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=30)
KALEIDO_BROWSER_PATH = env.str("KALEIDO_BROWSER_PATH", default="/usr/bin/chromium")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- People ---
AUTH_USER_MODEL = "smartcity.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes counts failed sign-ins (both /accounts/login/ and /admin/login/ go through
# authenticate()) per user name and per client address; either reaching the limit locks sign-in
# for the cool-off. Administrators unlock earlier in the admin (Axes) or with `axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "smartcity.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "smartcity.throttling.client_ip"
# Proxies in front of the app that append to X-Forwarded-For (1 behind the usual TLS proxy);
# 0 takes the connecting address, which is all a bare deployment can trust.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language: Indonesian first, English on request ---
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One date and number format on every page, in both languages (smartcity/formats/).
FORMAT_MODULE_PATH = ["smartcity.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# --- Static and uploaded files ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# fixtures/geo/ (boundaries for the dashboards' maps, with their licence) is served as /static/geo/,
# compressed and cacheable like every static file, and loaded only by pages with a map.
STATICFILES_DIRS = [BASE_DIR / "static", ("geo", BASE_DIR / "fixtures" / "geo")]
# Uploaded evidence lives outside static/ and is only served through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
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
WHITENOISE_MIMETYPES = {".geojson": "application/geo+json"}
EVIDENCE_MAX_UPLOAD_MB = env.int("EVIDENCE_MAX_UPLOAD_MB", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms ---
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ---
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kota Cerdas <noreply@localhost>")
# The address people reach the site at, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production values unless DEBUG) ---
SESSION_COOKIE_HTTPONLY = True
# A working day: a session ends after 8 idle hours and, by default, when the browser closes; a
# shared office computer should not stay signed in. Use renews it: SessionRenewalMiddleware
# writes the session at most every SESSION_RENEW_INTERVAL seconds (Django's
# SESSION_SAVE_EVERY_REQUEST would write it on every request, each autosave included).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_INTERVAL = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Health checks come over plain HTTP from inside the deployment.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# Each its own choice, off by default: a site on a go.id subdomain must not commit its parent
# domain (and every sibling under it) to HTTPS, let alone to the browsers' preload list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# The deploy check warns when these are off; off is the deliberate default explained above.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy on every page (django-csp): scripts and styles only from our
# own static files, never inline, never eval; page data reaches scripts as JSON (see "Scripts,
# styles and the CSP" in docs/architecture.md). Uploaded files are served with a stricter policy.
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Two hashes for the <style> elements Plotly.js adds, and nothing else can match them:
        # the empty string (Plotly fills that element through the CSSOM, which CSP does not
        # govern) and the MapLibre stylesheet bundled in plotly.js 4.1.1 (a new plotly.js can
        # change it: tests/e2e/test_csp_journey.py then fails and names the new hash).
        "style-src": [SELF, *PLOTLY_STYLE_HASHES],
        # Bootstrap draws its select arrows, check marks and close buttons as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page of ours uses, switched off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation",
        "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # kaleido and its browser driver log every tab at INFO.
        "kaleido": {"level": "WARNING"},
        "choreographer": {"level": "WARNING"},
        # Lockouts are warnings; every successful sign-in need not be.
        "axes": {"level": "WARNING"},
    },
}

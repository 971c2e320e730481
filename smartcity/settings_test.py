"""Test speed-ups on top of the real settings; the database and broker still come from the
environment, so CI runs the suite on PostgreSQL and Redis."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")

from smartcity.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="smartcity-test-media-"))  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run gets a fresh cache; a shared Redis must not leak state between runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Static files come from the finders (static/ and the apps); no collectstatic before tests.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="smartcity-test-static-"))  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Tasks run in-process unless a test asks for the real worker (the `celery_worker` fixture),
# so e-mails and other task effects are visible to ordinary tests even when REDIS_URL is set.
CELERY_TASK_ALWAYS_EAGER = True

"""The dashboards' cache: what a page computed, kept under its scope, filters and language.

Every key carries a version token. Any change the dashboards read (an assessment's status, an
event, a report, a snapshot, a cycle, a region) replaces the token, so the next request computes
afresh: the change appears at once, on every dashboard, for every scope. The token is replaced as
the change is written and again when its transaction commits, so a request that read the old rows
in between cannot keep them under the new token. Redis when REDIS_URL is set, else local memory.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from smartcity import access
from smartcity.models import User

VERSION_KEY = "dashboards:version"
# A page's figures live at most this long, for what no signal announces (a saved answer moves the
# "last activity" column, not the counts): five minutes.
TIMEOUT = 300

T = TypeVar("T")


def current_version() -> str:
    """The version token; a new one when the cache lost it (so nothing old is reused)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def invalidate() -> None:
    """Forget every dashboard figure, now and once the current transaction commits."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def key_for(page: str, user: User, parts: str) -> str:
    """The cache key of `page` for the user's scope, the filters in `parts` and the language."""
    raw = f"{current_version()}|{page}|{access.scope_key(user)}|{get_language()}|{parts}"
    return "dashboards:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(page: str, user: User, parts: str, compute: Callable[[], T]) -> T:
    """`compute()`'s result for this page, scope, filters and language, from the cache when
    there."""
    key = key_for(page, user, parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT)
    return value

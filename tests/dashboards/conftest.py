import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every dashboards test starts and ends with an empty cache (figures are cached)."""
    cache.clear()
    yield
    cache.clear()

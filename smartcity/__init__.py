"""Project wiring and the core domain: regions, the maturity framework, people and their scope."""

from smartcity.celery import app as celery_app

__all__ = ["celery_app"]

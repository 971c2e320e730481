from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmartcityConfig(AppConfig):
    name = "smartcity"
    verbose_name = _("Regions, framework and people")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from smartcity.middleware import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="smartcity.stamp_session")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Kongtun")

    def ready(self) -> None:
        from core.history import cache_history_managers

        cache_history_managers()

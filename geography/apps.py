from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    name = "geography"
    verbose_name = _("Geography")

    def ready(self) -> None:
        from core import sections

        from .selectors import home_villages_card

        sections.register("home", home_villages_card)

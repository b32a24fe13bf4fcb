from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Field monitoring visits")

    def ready(self) -> None:
        from core import sections

        from .selectors import center_page_section

        sections.register("center_page", center_page_section)

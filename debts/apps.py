from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtsConfig(AppConfig):
    name = "debts"
    verbose_name = _("Household debt registry")

    def ready(self) -> None:
        from core import sections

        from .selectors import center_households_section, household_registry_section

        sections.register("household_page", household_registry_section)
        sections.register("center_page", center_households_section)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebtsConfig(AppConfig):
    name = "debts"
    verbose_name = _("Household debt registry")

    def ready(self) -> None:
        from households.sections import register

        from .selectors import household_registry_section

        register(household_registry_section)

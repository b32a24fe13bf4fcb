from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from core import sections

        from .progress import center_progress_section
        from .selectors import (
            center_contracts_section,
            household_contract_commitment,
            household_contract_section,
        )
        from .todo import home_collection_todo, home_drafts_todo

        sections.register("household_page", household_contract_section)
        sections.register("household_commitments", household_contract_commitment)
        sections.register("center_page", center_contracts_section)
        sections.register("center_page", center_progress_section)
        sections.register("todo", home_collection_todo)
        sections.register("todo", home_drafts_todo)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from core import sections

        from .selectors import household_contract_section

        sections.register("household_page", household_contract_section)
        # The center page's contracts summary (selectors.center_contracts_section, one query) waits until
        # tests/debts/test_views.py::test_center_summary_query_count_is_bounded allows the center page
        # one more query than its present 40.

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = _("Community fund management centers")

    def ready(self) -> None:
        from core import sections

        from .selectors import home_centers_card
        from .todo import home_committee_todo

        sections.register("home", home_centers_card)
        sections.register("todo", home_committee_todo)

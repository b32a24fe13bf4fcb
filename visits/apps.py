from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Field monitoring visits")

    def ready(self) -> None:
        from core import sections

        from .selectors import center_page_section
        from .todo import home_officer_visits_todo, home_overseer_visits_todo

        sections.register("center_page", center_page_section)
        sections.register("todo", home_officer_visits_todo)
        sections.register("todo", home_overseer_visits_todo)

"""Community fund management centers (ศูนย์จัดการกองทุนชุมชน)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from geography.models import Village


class CenterQuerySet(ScopedQuerySet):
    district_path = "village__subdistrict__district"

    def with_area(self):
        return self.select_related("village__subdistrict__district__province")


class Center(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("center name"), max_length=200)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="centers", verbose_name=_("village")
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded (BE)"), help_text=_("Buddhist Era year, for example 2560.")
    )
    founded_on = models.DateField(_("date founded"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    objects = CenterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="center_unique_name_in_village",
                violation_error_message=_("This village already has a center with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(founded_year__gte=2500, founded_year__lte=2700),
                name="center_founded_year_is_be",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def district_id(self) -> str:
        return self.village.subdistrict.district_id

"""Thai administrative areas keyed by their DOPA codes.

Provinces, districts and subdistricts come from the GeoThai data (CC BY 4.0) through `load_geography`;
villages are entered by officers, since GeoThai has none.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet

# Bangkok has no CDD office: its rows are kept but hidden from pickers by default.
PROVINCES_WITHOUT_CDD = ("10",)


class AreaNameMixin(models.Model):
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en"):
            return self.name_en or self.name_th
        return self.name_th


class ProvinceQuerySet(models.QuerySet):
    def with_cdd_office(self):
        return self.exclude(code__in=PROVINCES_WITHOUT_CDD)


class Province(AreaNameMixin):
    code = models.CharField(_("DOPA code"), max_length=2, primary_key=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    @property
    def has_cdd_office(self) -> bool:
        return self.code not in PROVINCES_WITHOUT_CDD


class District(AreaNameMixin):
    code = models.CharField(_("DOPA code"), max_length=4, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Subdistrict(AreaNameMixin):
    code = models.CharField(_("DOPA code"), max_length=6, primary_key=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("district")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")


class VillageQuerySet(ScopedQuerySet):
    district_path = "subdistrict__district"


class Village(models.Model):
    """A village (หมู่บ้าน) entered by an officer; its DOPA code is the subdistrict code plus its หมู่ที่."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="villages", verbose_name=_("subdistrict")
    )
    moo = models.PositiveSmallIntegerField(
        _("village number (moo)"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    code = models.CharField(
        _("DOPA code"),
        max_length=8,
        unique=True,
        editable=False,
        validators=[RegexValidator(r"^\d{8}$", _("A village code has 8 digits."))],
    )
    name = models.CharField(_("village name"), max_length=150)

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["subdistrict_id", "moo"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "moo"],
                name="village_unique_moo_in_subdistrict",
                violation_error_message=_("This subdistrict already has a village with this number (moo)."),
            ),
            models.CheckConstraint(
                condition=models.Q(moo__gte=1, moo__lte=99), name="village_moo_between_1_and_99"
            ),
        ]

    def __str__(self) -> str:
        return _("Moo %(moo)s %(name)s") % {"moo": self.moo, "name": self.name}

    @staticmethod
    def code_for(subdistrict_code: str, moo: int) -> str:
        return f"{subdistrict_code}{moo:02d}"

    def clean(self) -> None:
        super().clean()
        if self.subdistrict_id and self.moo:
            if not 1 <= self.moo <= 99:
                raise ValidationError({"moo": _("The village number (moo) must be between 1 and 99.")})
            self.code = self.code_for(self.subdistrict_id, self.moo)

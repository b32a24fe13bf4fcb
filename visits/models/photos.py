"""Photos of a report (checked and re-encoded by visits.images on upload)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import photo_display_path, photo_path
from .reports import CenterReport


class ReportPhoto(models.Model):
    """A photo of a report, checked and re-encoded on upload (visits.images), with a display-size copy."""

    report = models.ForeignKey(
        CenterReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    display = models.FileField(_("display copy"), upload_to=photo_display_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    content_type = models.CharField(_("content type"), max_length=20)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    keep_location = models.BooleanField(_("location kept"), default=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        constraints = [
            models.CheckConstraint(condition=Q(width__gt=0, height__gt=0), name="visits_photo_has_size"),
            models.CheckConstraint(
                condition=Q(keep_location=True) | Q(latitude__isnull=True, longitude__isnull=True),
                name="visits_photo_location_only_when_kept",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or _("Photo %(number)s") % {"number": self.pk}

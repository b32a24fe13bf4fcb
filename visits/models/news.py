"""The published versions of a trip's news post: publishing freezes the text; an edit is a new version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .photos import ReportPhoto
from .trips import Trip


class NewsVersion(models.Model):
    """One published version of a trip's news post, with the photos chosen to go with it. Never changed:
    visits.services.news_publish adds the next version."""

    trip = models.ForeignKey(
        Trip, on_delete=models.PROTECT, related_name="news_versions", verbose_name=_("trip")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    photos = models.ManyToManyField(
        ReportPhoto, blank=True, related_name="news_versions", verbose_name=_("photos")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[photos])

    class Meta:
        ordering = ["trip", "-number"]
        verbose_name = _("published news post")
        verbose_name_plural = _("published news posts")
        constraints = [
            models.UniqueConstraint(fields=["trip", "number"], name="visits_news_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="visits_news_version_from_one"),
            models.CheckConstraint(condition=~Q(text=""), name="visits_news_version_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.trip} ({self.number})"

"""Abstract models shared by the apps (core has no tables of its own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Recorded(models.Model):
    """Who recorded an entry and when: the pair every dated, never-edited entry carries (a household's
    status change, a debt balance). `recorded_by` may be empty (an entry written by a command)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictChoice(models.Model):
    """What an officer chose when a save kept on the phone met a record changed on the server meanwhile
    (a visit report edited by someone else): both versions as they were, and which one was kept. Never
    edited nor deleted; "mine" is then sent as the officer's own save (its history says who and when)."""

    class Kept(models.TextChoices):
        MINE = "mine", _("the version kept on the phone")
        SERVER = "server", _("the version on the server")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    path = models.CharField(_("page"), max_length=200)
    kept = models.CharField(_("version kept"), max_length=6, choices=Kept.choices)
    phone_version = models.JSONField(_("version kept on the phone"))
    server_version = models.JSONField(_("version on the server"))
    chosen_at = models.DateTimeField(_("chosen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offline conflict choice")
        verbose_name_plural = _("offline conflict choices")
        ordering = ["-chosen_at"]

    def __str__(self) -> str:
        return f"{self.path} · {self.kept}"

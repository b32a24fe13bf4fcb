from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .throttling import forget_account_failures

        user_logged_in.connect(forget_account_failures, dispatch_uid="accounts.forget_account_failures")

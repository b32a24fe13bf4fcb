from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. Check that the keyboard is not typing Thai and try again."
        ),
        "inactive": _("This account has been disabled. Ask your administrator."),
    }

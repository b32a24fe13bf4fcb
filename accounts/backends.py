"""The authentication backend: Django's ModelBackend, reading the request's user with its office area (the
navigation bar of every page shows it) and the count of its unread notifications (the badge), in one
query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .notifications import with_unread_count


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            users = get_user_model()._default_manager.select_related("province", "district")
            user = with_unread_count(users).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

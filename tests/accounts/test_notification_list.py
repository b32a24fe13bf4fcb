"""The notification list marks what it shows as read, and its own badge already says so."""

import re

from django.urls import reverse

from accounts.models import Notification
from accounts.views import NOTIFICATIONS_SHOWN


def notify(user, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Notification.Kind.REVIEW_WAITING,
            key=f"report:{n}",
            subject=f"รายงาน {n} รอตรวจ",
            body="-",
            url="/",
        )
        for n in range(count)
    )


def badge(html: str) -> str | None:
    found = re.search(r'id="notification-badge">(\d+)<', html)
    return found and found.group(1)


def test_the_list_page_shows_no_stale_unread_badge(client, officer):
    notify(officer, 3)
    client.force_login(officer)
    assert badge(client.get(reverse("core:home")).content.decode()) == "3"
    html = client.get(reverse("accounts:notification_list")).content.decode()
    assert "รายงาน 2 รอตรวจ" in html
    assert badge(html) is None  # the three shown are read now: the page's own badge says so
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 0


def test_unread_beyond_the_page_stay_counted_in_its_badge(client, officer):
    notify(officer, NOTIFICATIONS_SHOWN + 2)
    client.force_login(officer)
    html = client.get(reverse("accounts:notification_list")).content.decode()
    assert badge(html) == "2"
    assert Notification.objects.filter(recipient=officer, read_at__isnull=True).count() == 2

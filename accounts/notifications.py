"""Telling people what happened: a notification row per person (the badge in the navigation counts the
unread ones) and, when `NOTIFY_BY_EMAIL` is on, an email through Django's email framework, sent only
once the transaction that wrote the notification has committed, each attempt logged as a
NotificationDelivery."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Notification, NotificationDelivery, User

log = logging.getLogger(__name__)


@transaction.atomic
def notify(
    *, recipients: Iterable[User], kind: str, key: str, subject: str, body: str, url: str
) -> list[Notification]:
    """A notification for each active recipient not yet told of this (`kind`, `key`); their emails go after
    the commit. Answers the notifications written."""
    written = []
    for recipient in {user.pk: user for user in recipients if user.is_active}.values():
        try:
            with transaction.atomic():
                written.append(
                    Notification.objects.create(
                        recipient=recipient, kind=kind, key=key, subject=subject, body=body, url=url
                    )
                )
        except IntegrityError:  # told already
            continue
    if written and settings.NOTIFY_BY_EMAIL:
        ids = [notification.pk for notification in written]
        transaction.on_commit(lambda: deliver(ids))
    return written


def deliver(notification_ids: list[int]) -> None:
    """Email each notification to its recipient and log the attempt; a failure is logged, not raised (the
    change it tells of is already saved)."""
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    for notification in notifications:
        address = notification.recipient.email
        if not address:
            NotificationDelivery.objects.create(
                notification=notification, status=NotificationDelivery.Status.NO_ADDRESS
            )
            continue
        link = f"{settings.SITE_URL}{notification.url}" if settings.SITE_URL else notification.url
        try:
            send_mail(notification.subject, f"{notification.body}\n\n{link}\n", None, [address])
        except Exception as exc:
            log.warning("notification %s not emailed: %s", notification.pk, exc)
            NotificationDelivery.objects.create(
                notification=notification,
                address=address,
                status=NotificationDelivery.Status.FAILED,
                error=str(exc),
            )
        else:
            NotificationDelivery.objects.create(
                notification=notification, address=address, status=NotificationDelivery.Status.SENT
            )


def with_unread_count(users: QuerySet[User]) -> QuerySet[User]:
    """The users with `unread_notifications_count`, read in the same query (accounts.backends reads the
    request's user this way, so the badge costs no query of its own)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return users.annotate(unread_notifications_count=Coalesce(Subquery(unread), Value(0)))


def unread_count(user: Any) -> int:
    """The badge: read with the request's user (`with_unread_count`), else one query."""
    if not (user and user.is_authenticated):
        return 0
    if hasattr(user, "unread_notifications_count"):
        return user.unread_notifications_count
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: Any, notification_ids: list[int]) -> int:
    return Notification.objects.filter(recipient=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )

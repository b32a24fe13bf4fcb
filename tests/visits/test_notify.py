"""Notifications of the review workflow and of overdue recommendations: a row for the person concerned
(the badge on their next page), an email in Thai only once the transaction commits, each delivery logged."""

from datetime import date

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accounts.models import Notification, NotificationDelivery
from accounts.notifications import unread_count
from tests.factories import UserFactory
from visits import services
from visits.notify import recommendations_fallen_overdue

from .factories import CenterReportFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(officer, provincial, outsider, other_province):
    for user in (officer, provincial, outsider, other_province):
        user.email = f"{user.username}@example.go.th"
        user.save(update_fields=["email"])
    return officer, provincial


def submit(report, user, callbacks):
    with callbacks(execute=True):
        return services.report_submit(user=user, report=report)


def test_a_submitted_report_tells_its_reviewers_after_the_commit(
    report, people, outsider, other_province, django_capture_on_commit_callbacks
):
    officer, provincial = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.report_submit(user=officer, report=report)
    assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.url) == (
        provincial,
        Notification.Kind.REVIEW_WAITING,
        reverse("visits:report_detail", args=[report.pk]),
    )
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [[provincial.email]]
    assert mail.outbox[0].subject == f"มีรายงานรอท่านตรวจ: {report.center.name}"
    assert reverse("visits:report_detail", args=[report.pk]) in mail.outbox[0].body
    delivery = NotificationDelivery.objects.get()
    assert (delivery.notification, delivery.address, delivery.status) == (told, provincial.email, "sent")
    # neither the author, nor the other district's officer, nor another province's staff
    assert not Notification.objects.filter(recipient__in=[officer, outsider, other_province]).exists()


def test_a_returned_report_tells_its_author_with_the_comment_and_shows_a_badge(
    client, report, people, outsider, django_capture_on_commit_callbacks
):
    officer, provincial = people
    submit(report, officer, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(user=provincial, report=report, comment="เพิ่มข้อมูลการออม")
    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert mail.outbox[0].subject == f"รายงานของท่านถูกส่งกลับให้แก้ไข: {report.center.name}"
    assert "เพิ่มข้อมูลการออม" in mail.outbox[0].body
    client.force_login(officer)
    html = client.get(reverse("visits:trip_list")).content.decode()
    assert 'id="notification-badge">1<' in html
    page = client.get(reverse("accounts:notification_list")).content.decode()
    assert "เพิ่มข้อมูลการออม" in page
    assert 'id="notification-badge"' not in client.get(reverse("visits:trip_list")).content.decode()
    client.force_login(outsider)
    assert 'id="notification-badge"' not in client.get(reverse("visits:trip_list")).content.decode()
    assert "เพิ่มข้อมูลการออม" not in client.get(reverse("accounts:notification_list")).content.decode()


def test_an_accepted_report_tells_its_author_once_per_round(
    report, people, django_capture_on_commit_callbacks
):
    officer, provincial = people
    submit(report, officer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_accept(user=provincial, report=report)
    told = Notification.objects.get(recipient=officer)
    assert told.kind == Notification.Kind.REPORT_ACCEPTED
    assert told.subject == f"รายงานของท่านได้รับการรับรองแล้ว: {report.center.name}"


def rolled_back_submission(report, user):
    with transaction.atomic():
        services.report_submit(user=user, report=report)
        raise RuntimeError


def test_a_rolled_back_submission_sends_nothing(report, people, django_capture_on_commit_callbacks):
    officer, _provincial = people
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        rolled_back_submission(report, officer)
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_without_an_address_or_with_a_failing_server_the_delivery_is_logged(
    report, officer, provincial, monkeypatch, django_capture_on_commit_callbacks
):
    submit(report, officer, django_capture_on_commit_callbacks)  # provincial has no email address
    assert NotificationDelivery.objects.get().status == "no_address"
    assert mail.outbox == []

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("accounts.notifications.send_mail", refuse)
    officer.email = "officer@example.go.th"
    officer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(user=provincial, report=report, comment="แก้ไข")
    failed = NotificationDelivery.objects.get(status="failed")
    assert (failed.address, failed.error) == ("officer@example.go.th", "connection refused")


def test_without_an_email_backend_only_the_badge(
    report, people, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BY_EMAIL = False
    officer, provincial = people
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_submit(user=officer, report=report)
    assert callbacks == []
    assert mail.outbox == []
    assert unread_count(provincial) == 1


def test_the_badge_is_read_with_the_request_user(client, report, people, django_assert_num_queries):
    officer, provincial = people
    services.report_submit(user=officer, report=report)
    client.force_login(provincial)
    response = client.get(reverse("accounts:password_change"))
    assert 'id="notification-badge">1<' in response.content.decode()
    with django_assert_num_queries(0):
        assert unread_count(response.wsgi_request.user) == 1
    with django_assert_num_queries(1):
        assert unread_count(provincial) == 1  # a user read without it


def test_an_overdue_recommendation_tells_its_editors_once(
    trip, center, people, outsider, django_capture_on_commit_callbacks
):
    officer, provincial = people
    colleague = UserFactory(email="colleague@example.go.th")  # another officer of the same district
    report = CenterReportFactory(trip=trip, center=center, author=officer)
    submit(report, officer, django_capture_on_commit_callbacks)
    RecommendationFactory(report=report, due_date=date(2024, 6, 30))
    RecommendationFactory(report=report, due_date=date(2024, 8, 30))  # not yet due
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert recommendations_fallen_overdue(date(2024, 7, 1)) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([officer.email, colleague.email])
    assert mail.outbox[0].subject.startswith("ข้อเสนอแนะเลยกำหนด")
    assert recommendations_fallen_overdue(date(2024, 7, 2)) == 0  # told once
    assert not Notification.objects.filter(
        recipient__in=[outsider, provincial], kind="recommendation_overdue"
    )

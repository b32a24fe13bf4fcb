"""Login throttling, through django-axes' own hooks (AXES_CLIENT_IP_CALLABLE, a callable AXES_FAILURE_LIMIT).

Two locks, both for AXES_COOLOFF_TIME:
- one username from one client address, after LOGIN_FAILURES_PER_ACCOUNT wrong passwords: someone else's
  wrong passwords from another address never lock a user out;
- one client address, after LOGIN_FAILURES_PER_ADDRESS wrong passwords over any usernames: a password
  sprayed across many accounts is stopped. Higher, because an office shares one address.

Behind a reverse proxy every request comes from the proxy's address; with TRUSTED_PROXY_COUNT proxies the
client is the address the outermost trusted proxy added to X-Forwarded-For. Addresses further left in the
header are written by the client itself and never trusted.
"""

import ipaddress
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def client_ip_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one the outermost of TRUSTED_PROXY_COUNT proxies saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [remote]
    # The last `proxies` entries are our proxies (REMOTE_ADDR the nearest); the entry before them is the
    # client. A request with fewer hops did not come through every proxy: the leftmost hop is its peer.
    candidate = chain[max(0, len(chain) - 1 - proxies)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def account_failures(request: HttpRequest, credentials: dict | None) -> int:
    """Recent wrong passwords for this username from this client address."""
    ip_address = getattr(request, "axes_ip_address", None) or client_ip_address(request)
    attempts = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=ip_address,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def account_is_locked(request: HttpRequest, credentials: dict | None) -> bool:
    return account_failures(request, credentials) >= settings.LOGIN_FAILURES_PER_ACCOUNT


def failure_limit(request: HttpRequest, credentials: dict | None = None, *args: Any) -> int:
    """AXES_FAILURE_LIMIT. With AXES_LOCKOUT_PARAMETERS [["username", "ip_address"], "ip_address"] axes
    compares the larger count, the address's (it includes the pair's), with this limit: the pair's limit
    once the pair has reached it, the address's limit otherwise."""
    if account_is_locked(request, credentials):
        return settings.LOGIN_FAILURES_PER_ACCOUNT
    return settings.LOGIN_FAILURES_PER_ADDRESS


def forget_account_failures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On Django's user_logged_in: forget this username's wrong passwords from this address, and only
    those. (axes' AXES_RESET_ON_SUCCESS would also wipe the address's count over every username, letting
    anyone with one valid account reset a password spray.)"""
    if request is None:
        return
    ip_address = getattr(request, "axes_ip_address", None) or client_ip_address(request)
    AccessAttempt.objects.filter(username=user.get_username(), ip_address=ip_address).delete()

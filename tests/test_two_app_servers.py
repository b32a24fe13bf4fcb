"""Kongtun scales out as several stateless app servers on one database: a user who logs in through one
gunicorn process is logged in on another (sessions live in the database, not in a process)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_settings import PERSONAL_DATA_KEYS
from tests.visits.factories import image_bytes

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-test-password-2569"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read())
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"gunicorn on port {port} did not answer")


# A draft report of the admin on a center, to attach a photo to.
MAKE_REPORT = """
from datetime import date
from accounts.models import User
from centers.models import Center
from geography.models import Village
from visits.models import CenterReport, Trip
chief = User.objects.get(username="chief")
village = Village.objects.create(subdistrict_id="500112", moo=1, name="village", code="50011201")
center = Center.objects.create(name="center", village=village, founded_year=2560)
trip = Trip.objects.create(title="trip", level="province", province_id="50", start_date=date(2024, 3, 24),
                           end_date=date(2024, 3, 24), created_by=chief)
CenterReport.objects.create(trip=trip, center=center, visit_date=date(2024, 3, 24), author=chief)
"""


# The set-up in one process: the database, copied from the worker's migrated test database, must need no
# migration (`migrate` checks), then the static files, the superuser (its password from the environment)
# and the report.
SET_UP = (
    """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
call_command("createsuperuser", interactive=False, username="chief", email="chief@example.org", verbosity=0)
"""
    + MAKE_REPORT
)


@pytest.fixture
def two_servers(tmp_path, migrated_sqlite_file):
    """Two gunicorn processes on production settings sharing one SQLite file (whatever the run's own
    database: the test runs once, in the SQLite run, where the worker's migrated database can be copied)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "two-servers-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{migrated_sqlite_file}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "MEDIA_ROOT": str(tmp_path / "shared-media"),  # the shared storage of uploads
        **PERSONAL_DATA_KEYS,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    set_up = [sys.executable, "manage.py", "shell", "-c", SET_UP]
    subprocess.run(set_up, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)  # noqa: S603
    ports = [free_port(), free_port()]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    processes = [
        subprocess.Popen(  # noqa: S603
            [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


class Browser:
    """urllib keeping its own cookies: http.cookiejar would not send the Secure cookies over plain http
    on loopback, where there is no TLS proxy in this test."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, url: str, data: dict | None = None, files: dict | None = None) -> tuple[int, str]:
        body, content_type = (
            (urllib.parse.urlencode(data).encode(), None) if data is not None else (None, None)
        )
        if files:
            body, content_type = multipart(data or {}, files)
        request = urllib.request.Request(url, data=body)  # noqa: S310
        if content_type:
            request.add_header("Content-Type", content_type)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("Referer", url)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        content = response.read()
        self.last_content_type = response.headers.get("Content-Type", "")
        return response.status, content.decode(errors="replace")


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "kongtun-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for name, (filename, content, mime) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(f"{head}Content-Type: {mime}\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.early  # about 20 s: first, not at the end where a worker would run it alone
def test_sessions_and_uploads_work_across_two_app_servers(two_servers):
    first, second = (f"http://127.0.0.1:{port}" for port in two_servers)
    browser = Browser()
    status, page = browser.request(f"{first}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    status, _ = browser.request(
        f"{first}/accounts/login/", {"csrfmiddlewaretoken": token, "username": "chief", "password": PASSWORD}
    )
    assert status == 302
    assert "sessionid" in browser.cookies
    status, page = browser.request(f"{second}/")
    assert status == 200
    assert "chief" in page

    # A photo uploaded through the second server is served by the first (uploads on shared storage).
    report = f"{second}/visits/reports/1/"
    status, page = browser.request(report)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    status, _ = browser.request(
        f"{report}photos/",
        {"csrfmiddlewaretoken": token, "caption": "ภาพ"},
        files={"image": ("photo.jpg", image_bytes(), "image/jpeg")},
    )
    assert status == 302
    status, page = browser.request(f"{first}/visits/reports/1/")
    photo = re.search(r"/visits/photos/(\d+)/display/", page)
    assert photo, "the report page on the first server lists the photo"
    status, _ = browser.request(f"{first}{photo[0]}")
    assert status == 200
    assert browser.last_content_type.startswith("image/")

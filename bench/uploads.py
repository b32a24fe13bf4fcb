"""Memory per upload: the peak RSS of a gunicorn worker above idle while it handles one upload.

    .venv/bin/python bench/uploads.py                        # writes bench/results/uploads.json
    .venv/bin/python bench/uploads.py --only photo_jpeg_50mp --output /tmp/uploads.json

A worker keeps the memory it once needed, so one upload that inflates is paid for until the worker is
replaced (`--max-requests`). Goal: at most 150 MB above idle for each case.

1. A throwaway SQLite database in a temporary folder is migrated, with the production settings
   (DEBUG off, manifest static files after collectstatic) and random keys, as bench/load.py does.
2. `prepare` (this script, with Django set up) makes a district officer, a draft visit report and centers
   through the test factories, and writes the upload files: the largest photo each format accepts (a
   50-megapixel JPEG turned sideways, a 12-megapixel PNG and a 5-megapixel WebP with transparency), the
   largest registry the import accepts (20,000 rows under 5 MB), a registry whose shared strings are just
   under their cap, and the hostile ones: a 160 KB 7000 x 7000 PNG, a .xlsx of a few hundred KB whose
   shared strings inflate to 190 MB, and a 1 GB zip bomb.
3. For each case a fresh gunicorn (one sync worker) starts; the client logs in and opens the upload page
   twice, the worker's VmRSS is read (idle), its peak is reset (`/proc/<pid>/clear_refs`, 5), the file is
   POSTed, and VmHWM is read: `peak_above_idle_mb` is VmHWM minus idle. Then gunicorn is stopped.
4. `report` reads what each upload did (photo stored at what size, import done or refused with which code).

Linux only (it reads /proc). The exit status is 1 when a case goes over the goal or does not end as expected.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "uploads-bench-password-" + "x" * 12  # a throwaway database only
GOAL_MB = 150
MB = 1024 * 1024

# name -> (kind, file name, what should happen)
CASES: dict[str, tuple[str, str, str]] = {
    "photo_jpeg_50mp": ("photo", "camera.jpg", "stored"),
    "photo_png_12mp": ("photo", "screen.png", "stored"),
    "photo_webp_5mp": ("photo", "picture.webp", "stored"),
    "photo_png_7000x7000": ("photo", "square.png", "refused"),
    "registry_20000_rows": ("registry", "registry.xlsx", "done"),
    "registry_shared_strings_at_cap": ("registry", "strings.xlsx", "done"),
    "registry_shared_strings_190mb": ("registry", "strings-bomb.xlsx", "file.too_large_unpacked"),
    "registry_zip_bomb_1gb": ("registry", "zip-bomb.xlsx", "file.too_large_unpacked"),
}


# -- The orchestration (no Django in this process) ---------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "uploads.json")
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="run only these cases")
    sub = parser.add_subparsers(dest="step")
    for step in ("prepare", "report"):
        inner = sub.add_parser(step)
        inner.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args()
    if args.step == "prepare":
        return step_prepare(args.folder)
    if args.step == "report":
        return step_report(args.folder)

    with tempfile.TemporaryDirectory(prefix="kongtun-uploads-") as tmp:
        result = run(Path(tmp), args.only or list(CASES))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["all_within_goal"] and result["all_as_expected"] else 1


def throwaway_env(tmp: Path) -> dict:
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "uploads-" + secrets.token_urlsafe(64),
        "NATIONAL_ID_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "NATIONAL_ID_HASH_KEY": "uploads-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy on loopback
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def run_checked(env: dict, *command: str, timeout: int = 1800) -> str:
    done = subprocess.run(  # noqa: S603 (our own fixed commands)
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run(tmp: Path, names: list[str]) -> dict:
    env = throwaway_env(tmp)
    started = time.perf_counter()
    run_checked(env, "manage.py", "migrate", "--noinput")
    run_checked(env, "manage.py", "collectstatic", "--noinput")
    run_checked(env, str(Path(__file__).resolve()), "prepare", "--folder", str(tmp))
    plan = json.loads((tmp / "plan.json").read_text(encoding="utf-8"))
    setup_s = round(time.perf_counter() - started, 1)

    cases = {}
    for name in names:
        cases[name] = measure(env, tmp, plan, name)
        print(name, json.dumps(cases[name], ensure_ascii=False), file=sys.stderr)
    outcomes = json.loads(run_checked(env, str(Path(__file__).resolve()), "report", "--folder", str(tmp)))
    for name, case in cases.items():
        case["outcome"] = outcomes.get(name, "no record")
        case["expected"] = CASES[name][2]
        case["as_expected"] = case["outcome"].split(" ")[0] == case["expected"]
        case["within_goal"] = case["peak_above_idle_mb"] <= GOAL_MB
    return {
        "goal_mb_above_idle": GOAL_MB,
        "all_within_goal": all(case["within_goal"] for case in cases.values()),
        "all_as_expected": all(case["as_expected"] for case in cases.values()),
        "cases": cases,
        "server": "gunicorn, one sync worker per case, config.settings.production, SQLite, 127.0.0.1",
        "setup_s": setup_s,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python bench/uploads.py",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    """The kB figures of /proc/<pid>/status (VmRSS, VmHWM, ...)."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            figures[key] = int(value.split()[0])
    return figures


def worker_of(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


class Client:
    """A tiny HTTP client with a cookie store that, unlike a browser's, sends Secure cookies over loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.getheader("Location") or "", content.decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        _status, _location, page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not found:
            raise SystemExit(f"no CSRF token on {path}")
        return found.group(1)

    def post_form(self, path: str, fields: dict) -> tuple:
        body = urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, path: str, fields: dict, field: str, name: str, content: bytes) -> tuple:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def measure(env: dict, tmp: Path, plan: dict, name: str) -> dict:
    kind, file_name, _expected = CASES[name]
    content = (tmp / "files" / file_name).read_bytes()
    port = free_port()
    log = tmp / f"gunicorn-{name}.log"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(  # noqa: S603
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "900"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    try:
        client = Client(port)
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{log.read_text()}")
            try:
                client.request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.1)
        worker = worker_of(server.pid)
        token = client.csrf("/accounts/login/")
        status, _location, _page = client.post_form(
            "/accounts/login/",
            {"username": plan["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            raise SystemExit(f"login failed: {status}")
        if kind == "photo":
            page = f"/visits/reports/{plan['report']}/"
            path, field = f"/visits/reports/{plan['report']}/photos/", "image"
            fields = {"caption": name}
        else:
            page = path = "/households/import/"
            field = "file"
            fields = {
                "center": plan["centers"][name],
                "privacy_notice_version": plan["privacy_notice_version"],
                "token": plan["tokens"][name],
            }
        for _ in range(2):  # the worker has loaded its code, templates and translations
            fields["csrfmiddlewaretoken"] = client.csrf(page)
        idle = proc_status(worker)["VmRSS"]
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM starts again from VmRSS
        started = time.perf_counter()
        status, _location, _page = client.post_file(path, fields, field, file_name, content)
        seconds = time.perf_counter() - started
        figures = proc_status(worker)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {
        "file_bytes": len(content),
        "status": status,
        "idle_rss_mb": round(idle / 1024, 1),
        "peak_rss_mb": round(figures["VmHWM"] / 1024, 1),
        "peak_above_idle_mb": round((figures["VmHWM"] - idle) / 1024, 1),
        "rss_after_mb": round(figures["VmRSS"] / 1024, 1),
        "seconds": round(seconds, 2),
    }


# -- The steps run with Django set up -----------------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def step_prepare(folder: Path) -> int:
    django_setup()
    from django.conf import settings

    from tests.factories import CenterFactory, UserFactory
    from tests.visits.factories import CenterReportFactory, TripFactory

    officer = UserFactory(username="uploads_officer", password=PASSWORD)
    report = CenterReportFactory(
        trip=TripFactory(created_by=officer), center=CenterFactory(name="ศูนย์ทดสอบรูปภาพ"), author=officer
    )
    centers = {
        name: CenterFactory(name=f"ศูนย์ทดสอบ {name}").pk
        for name, case in CASES.items()
        if case[0] == "registry"
    }
    files = folder / "files"
    files.mkdir()
    for name, (_kind, file_name, _expected) in CASES.items():
        (files / file_name).write_bytes(make_file(name))
    plan = {
        "username": officer.username,
        "report": report.pk,
        "centers": centers,
        "tokens": {name: str(uuid.uuid4()) for name in centers},
        "privacy_notice_version": str(settings.PRIVACY_NOTICE_VERSION),
    }
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    return 0


def make_file(name: str) -> bytes:
    from PIL import ExifTags, Image

    from visits import images

    buffer = BytesIO()
    if name == "photo_jpeg_50mp":
        width = int((images.DEFAULT_MAX_IMAGE_PIXELS * 3 / 2) ** 0.5)  # 3:2, just under the ceiling
        picture = smooth_picture("RGB", (width, images.DEFAULT_MAX_IMAGE_PIXELS // width))
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = 6  # a phone held upright: the worker must turn it
        picture.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    elif name in ("photo_png_12mp", "photo_webp_5mp"):
        image_format = "PNG" if name.startswith("photo_png") else "WEBP"
        side = int(images.DEFAULT_MAX_FULL_DECODE_PIXELS[image_format] ** 0.5)  # square, with transparency
        smooth_picture("RGBA", (side, side)).save(buffer, image_format, quality=80)
    elif name == "photo_png_7000x7000":
        Image.new("RGB", (7000, 7000), "white").save(buffer, "PNG")
    elif name == "registry_20000_rows":
        return registry(20_000)
    elif name == "registry_shared_strings_at_cap":
        return with_shared_strings(registry(1), _cap_bytes() - 64 * 1024, distinct=True)
    elif name == "registry_shared_strings_190mb":
        return with_shared_strings(registry(1), 190 * MB, distinct=False)
    elif name == "registry_zip_bomb_1gb":
        data = registry(1)
        with (
            zipfile.ZipFile(BytesIO(data)) as source,
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zip_,
        ):
            for info in source.infolist():
                zip_.writestr(info.filename, source.read(info.filename))
            with zip_.open("xl/media/image1.png", "w", force_zip64=True) as entry:
                block = b"\0" * MB
                for _ in range(1024):
                    entry.write(block)
    return buffer.getvalue()


def _cap_bytes() -> int:
    from debts import importer

    return importer.MAX_SHARED_STRINGS_BYTES


def smooth_picture(mode: str, size: tuple[int, int]):
    """A picture that compresses well (a real photo of that size would be over the 10 MB upload limit)."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize(size)
    bands = [gradient, gradient.transpose(Image.Transpose.ROTATE_90).resize(size), gradient]
    if mode == "RGBA":
        bands.append(Image.new("L", size, 200))
    return Image.merge(mode, bands)


def registry(rows: int) -> bytes:
    from bench.registry import registry_file

    return registry_file(rows)[0]


STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(data: bytes, size: int, *, distinct: bool) -> bytes:
    """The workbook with a shared strings part of about `size` bytes of short strings.

    Distinct strings cost openpyxl the most memory for their size; the same one repeated makes a bomb that
    packs 190 MB into a few hundred kilobytes.
    """
    buffer = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}"/></Types>'.encode(),
                )
            target.writestr(info.filename, content)
        with target.open(STRINGS, "w", force_zip64=True) as entry:
            entry.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            written, number = 0, 0
            while True:
                chunk = b"".join(
                    b"<si><t>%d</t></si>" % ((number + index) if distinct else 1) for index in range(1000)
                )
                if written + len(chunk) > size:
                    break
                number += 1000
                entry.write(chunk)
                written += len(chunk)
            entry.write(b"</sst>")
    return buffer.getvalue()


def step_report(folder: Path) -> int:
    django_setup()
    from debts.models import ImportJob
    from visits.models import ReportPhoto

    plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    outcomes = {}
    for name, (kind, _file_name, _expected) in CASES.items():
        if kind == "photo":
            photo = ReportPhoto.objects.filter(report_id=plan["report"], caption=name).first()
            outcomes[name] = f"stored {photo.width}x{photo.height}" if photo else "refused"
        else:
            job = ImportJob.objects.filter(token=plan["tokens"][name]).first()
            if job is None:
                outcomes[name] = "no import"
            elif job.status == ImportJob.Status.DONE:
                outcomes[name] = f"done {job.total_rows} rows, {job.households_created} households"
            else:
                outcomes[name] = " ".join(str(error["code"]) for error in job.errors[:3]) or job.status
    print(json.dumps(outcomes, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

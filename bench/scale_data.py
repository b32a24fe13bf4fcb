"""A synthetic national dataset for load and dashboard benchmarks, bulk-loaded with PostgreSQL COPY.

`generate(sizes, ...)` fills the real tables of the project as the services would have written them, over a
window of `months` months ending today:

- centers spread over the 76 CDD provinces (not Bangkok) in proportion to their subdistricts times a random
  factor per province (0.6–1.4), in randomly drawn subdistricts; villages (หมู่ที่ 1..n, 4 to 16 a
  subdistrict) under each subdistrict that has a center (about 70,000 at full size), each center in its
  own village; 2–4 member funds (a core savings group,
  then some of village fund, women's fund, กข.คจ. and welfare fund: capital and lending rates) and a
  savings rule with tiers;
- one district officer per district and one provincial account per province that have centers (usernames
  `scale_…`, no usable password): they record, sign, collect and visit;
- households (0.2 to 1.8 times the mean a center, at least one) with valid national IDs encrypted and
  hashed by `households.national_id` (Fernet is ~8 µs an ID), a budget statement, 1–5 debt registry
  lines in the formal, community and informal sectors with dated balances, and their status log
  (surveyed → target → enrolled → debt-free, some withdrawn);
- for about 60% of households a signed contract: 1–2 tranches from the center's funds at their own rates
  and methods, the payoffs of the household's informal and community lines (zero balance entries as
  `contracts.services.contract_sign` writes them), the schedule from `contracts.calculations.schedule`,
  monthly repayments allocated with `contracts.calculations.allocate_payment` (oldest instalment first,
  interest before principal, funds as the instalment splits them), a few reversed and recorded again,
  and the savings the center's rule asks for. Payers are on time, late (5–25 days), in arrears (they stop
  or pay half) or pay off early;
  contracts repaid in full are closed and their household debt-free;
- monthly monitoring trips per district with one report per center visited (about months/12 visits a
  center), the report's snapshot figures as `visits.snapshot` computes them, and recommendations
  (done, in progress, open, some overdue) with follow-up notes.

Not written: the simple-history tables (the audit trail of hand edits; a bulk load is not one),
occupational groups, committees, photos and restructured contracts.

Speed: rows are formatted in Python and streamed with `cursor.copy_expert` in one transaction (a thread
sends while Python writes the next rows). Large sets are written by one worker process per core (whole
districts each; worker w of n takes the ids w + 1, w + 1 + n, …), whose buffers go to the main process,
which alone talks to the database. For large sets (`defer_constraints`) the primary keys, unique and
foreign-key constraints and the indexes of the loaded tables are dropped first and recreated after the
load (one pass each instead of a check per row); the DDL is transactional, so a failure leaves the schema
as it was. Ids are assigned here and the id
sequences advanced afterwards. The same seed and number of workers give the same data (as of the same day).

At full size (25,000 centers, 500,000 households, 24 months) it writes about 33 million rows: 14.5 million
scheduled instalments, 3.5 million repayments with 5 million lines, 3.3 million savings entries, 2.1
million debt balances, 290,000 contracts, 50,000 visit reports (bench/results/scale_data.json).
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import queue
import random
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from centers.models import Center, FundType, MemberFund
from contracts import calculations
from contracts.calculations import Method, PayoffRule, add_months
from contracts.models import (
    Contract,
    Payoff,
    Repayment,
    RepaymentLine,
    SavingsEntry,
    SavingsRule,
    SavingsTier,
    ScheduledInstalment,
    Tranche,
)
from core.money import money
from core.scoping import OfficeLevel
from core.thai import to_be_year
from debts.models import SECTOR_OF, DebtBalance, DebtLine, annual_rate
from geography.models import PROVINCES_WITHOUT_CDD, Subdistrict, Village
from households import national_id
from households.models import BudgetStatement, Household, HouseholdStatus, StatusChange
from visits.models import (
    CenterReport,
    FollowUp,
    ItineraryStop,
    Recommendation,
    RecommendationStatus,
    ReportStatus,
    Trip,
    TripLevel,
    TripMember,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Sets at least this large drop and rebuild constraints and indexes around the load.
DEFER_CONSTRAINTS_FROM = 20_000

# The apps whose tables hold what a center and its households are made of (emptied by `clear`).
DATA_APPS = ("centers", "households", "debts", "contracts", "visits", "dashboards")
SCALE_USER_PREFIX = "scale_"


@dataclass(frozen=True)
class Sizes:
    centers: int
    households: int
    months: int = 24
    seed: int = 1


@dataclass
class Report:
    """What was written: rows per table and seconds per phase."""

    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=dict)


# --- COPY writers ------------------------------------------------------------------------------------------


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_PLAIN = (int, Decimal, date)  # their text never needs escaping


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, _PLAIN):
        return str(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


class Sender:
    """Sends COPY buffers from a background thread, so that PostgreSQL reads one while Python writes the
    next (psycopg2 lets go of the GIL while the server works). One connection, used by this thread only
    while the generator writes nothing else."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    sql, data = item
                    self.cursor.copy_expert(sql, io.StringIO(data), 1 << 20)
            except BaseException as exc:  # handed to the main thread
                self.error = exc
            finally:
                self.queue.task_done()

    def send(self, sql: str, data: str) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((sql, data))

    def wait(self) -> None:
        """Until every buffer is in; raises what the thread met."""
        self.queue.join()
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()


class Copier:
    """Rows of one table, buffered and sent with COPY FROM STDIN whenever the buffer grows large."""

    FLUSH_ROWS = 20_000

    def __init__(self, sender: Sender, model: Any, report: Report) -> None:
        self.sender = sender
        self.table = model._meta.db_table
        # Every column of the model, in the order of its fields (`_meta.concrete_fields`, the primary key
        # first): a row gives one value per field, in that order.
        self.fields = [f.name for f in model._meta.concrete_fields]
        columns = [connection.ops.quote_name(f.column) for f in model._meta.concrete_fields]
        self.sql = f"COPY {self.table} ({', '.join(columns)}) FROM STDIN"  # names from the models
        self.parts: list[str] = []
        self.report = report
        self.next_id = 1
        self.step = 1  # with several workers, worker w of n takes the ids w + 1, w + 1 + n, …

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += self.step
        return pk

    def row(self, *values: Any) -> None:
        if len(values) != len(self.fields):
            raise ValueError(f"{self.table}: {len(values)} values for the columns {self.fields}")
        self.line("\t".join(map(_text, values)))

    def named(self, **values: Any) -> None:
        """A row given by field name, for a model whose field order may change (an abstract parent's
        fields come first)."""
        if set(values) != set(self.fields):
            raise ValueError(f"{self.table}: fields {sorted(values)} for the columns {self.fields}")
        self.row(*(values[name] for name in self.fields))

    def line(self, line: str) -> None:
        """A row already in COPY text format (no newline): for the large tables."""
        parts = self.parts
        parts.append(line)
        if len(parts) >= self.FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.parts:
            return
        self.report.rows[self.table] += len(self.parts)
        self.sender.send(self.sql, "\n".join(self.parts) + "\n")
        self.parts = []


class QueueSender:
    """A worker process's sender: its buffers go to the main process, which holds the one transaction."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def send(self, sql: str, data: str) -> None:
        self.out.put(("copy", sql, data))

    def wait(self) -> None:
        pass


# --- constraints and indexes around a large load ------------------------------------------------------------


def _deferred_ddl(cursor: Any, tables: list[str]) -> tuple[list[str], list[str]]:
    """(drop statements, create statements) for the keys, foreign keys and indexes of `tables` (and the
    foreign keys of other tables that point to them). Check and not-null constraints stay."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype IN ('p', 'u', 'f')
          AND (c.conrelid = ANY(%(tables)s::regclass[]) OR c.confrelid = ANY(%(tables)s::regclass[]))
        """,
        {"tables": tables},
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.schemaname, i.tablename, i.indexname, i.indexdef
        FROM pg_indexes i
        WHERE i.tablename = ANY(%(tables)s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.'
              || quote_ident(i.indexname))::regclass AND c.contype IN ('p', 'u', 'x'))
        """,
        {"tables": tables},
    )
    indexes = cursor.fetchall()
    foreign = [c for c in constraints if c[2] == "f"]
    keys = [c for c in constraints if c[2] != "f" and c[0] in tables]
    # A key another table's foreign key depends on can only go after that foreign key.
    drops = [f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _k, _d in foreign]
    drops += [f'DROP INDEX "{schema}"."{name}"' for schema, _t, name, _d in indexes]
    drops += [f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _k, _d in keys]
    creates = [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {definition}' for t, name, _k, definition in keys]
    creates += [definition for _s, _t, _n, definition in indexes]
    creates += [
        f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {definition}' for t, name, _k, definition in foreign
    ]
    return drops, creates


# --- names and small helpers -------------------------------------------------------------------------------

VILLAGE_PREFIXES = ("หนอง", "ดอน", "นา", "โนน", "บ่อ", "ห้วย", "ป่า", "ทุ่ง", "สัน", "แม่", "โคก", "วัง", "ท่า", "บาง")
VILLAGE_SUFFIXES = (
    "บัว",
    "แก้ว",
    "ใหม่",
    "ทอง",
    "สะอาด",
    "งาม",
    "คำ",
    "หลวง",
    "เหนือ",
    "ใต้",
    "ยาง",
    "ม่วง",
    "ขาม",
    "ไผ่",
)
FIRST_NAMES = (
    "สมชาย",
    "สมศรี",
    "บุญมา",
    "ประเสริฐ",
    "มาลี",
    "สุดา",
    "ทองดี",
    "คำปั่น",
    "บัวผัน",
    "สมพร",
    "วิไล",
    "อำนวย",
    "จันทร์เพ็ญ",
    "สายสุนีย์",
    "ประยูร",
    "บุญเรือง",
    "แสงเดือน",
    "ศรีนวล",
)
LAST_NAMES = (
    "ใจดี",
    "มีสุข",
    "ทองคำ",
    "แก้วมณี",
    "ศรีสุข",
    "บุญมี",
    "สุขใจ",
    "คำแสน",
    "ปัญญาดี",
    "อินทร์แก้ว",
    "จันทร์หอม",
    "พรหมมา",
    "วงศ์ใหญ่",
    "ชัยมงคล",
)
OCCUPATIONS = ("ทำนา", "ทำสวน", "รับจ้างทั่วไป", "ค้าขาย", "เลี้ยงสัตว์", "ทำไร่", "หัตถกรรม")

# (creditor type, weight, (min, max) amount borrowed, rate unit, (min, max) rate)
CREDITORS = {
    "formal": [
        ("baac", 40, (30_000, 300_000), "year", (5, 9)),
        ("gsb", 12, (20_000, 150_000), "year", (6, 10)),
        ("commercial_bank", 5, (50_000, 300_000), "year", (6, 12)),
        ("cooperative", 15, (20_000, 200_000), "year", (5, 8)),
        ("credit_card", 8, (10_000, 60_000), "year", (16, 25)),
        ("leasing", 12, (20_000, 120_000), "year", (7, 15)),
        ("student_loan", 8, (30_000, 150_000), "year", (1, 1)),
    ],
    "community": [
        ("village_fund", 45, (5_000, 40_000), "year", (3, 8)),
        ("savings_group", 30, (5_000, 50_000), "year", (6, 12)),
        ("kkkj", 10, (3_000, 15_000), "year", (0, 0)),
        ("women_fund", 10, (5_000, 30_000), "year", (3, 6)),
        ("welfare_fund", 5, (2_000, 10_000), "year", (0, 3)),
    ],
    "informal": [
        ("money_lender", 45, (5_000, 60_000), "month", (3, 20)),
        ("relatives", 20, (3_000, 40_000), "year", (0, 0)),
        ("shop_credit", 15, (2_000, 15_000), "month", (1, 3)),
        ("rotating_credit", 15, (5_000, 50_000), "month", (2, 5)),
        ("informal_other", 5, (3_000, 30_000), "day", (1, 2)),
    ],
}
SECTOR_CHANCE = {"formal": 0.6, "community": 0.5, "informal": 0.75}

# (fund type, name, (min, max) capital, rate unit, (min, max) rate, holds money)
OPTIONAL_FUNDS = [
    (FundType.VILLAGE_FUND, "กองทุนหมู่บ้านและชุมชนเมือง", (1_000_000, 2_500_000), "year", (3, 6)),
    (FundType.WOMEN_FUND, "กองทุนพัฒนาบทบาทสตรี", (200_000, 1_000_000), "year", (3, 5)),
    (FundType.KKKJ, "กองทุน กข.คจ.", (280_000, 280_000), "year", (0, 0)),
    (FundType.WELFARE_FUND, "กองทุนสวัสดิการชุมชน", (100_000, 600_000), "year", (0, 3)),
]
TERMS = ((12, 8), (18, 8), (24, 25), (36, 30), (48, 17), (60, 12))
# Repayment behaviour of a household with a contract, and its share.
BEHAVIOURS = (("on_time", 62), ("late", 20), ("arrears", 12), ("early_payoff", 6))


def _money(value: float | Decimal) -> Decimal:
    return money(Decimal(str(value)))


def _round_to(value: float, step: int) -> Decimal:
    return Decimal(max(step, round(value / step) * step)).quantize(CENT)


def _weighted(rng: random.Random, choices: tuple | list) -> Any:
    total = sum(weight for _v, weight, *_rest in choices)
    pick = rng.uniform(0, total)
    for item in choices:
        pick -= item[1]
        if pick <= 0:
            return item
    return choices[-1]


def _apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders), each part at least `minimum`."""
    base = minimum * len(weights)
    rest = max(0, total - base)
    wsum = sum(weights) or 1.0
    exact = [rest * w / wsum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def _stamp(day: date) -> str:
    return f"{day} 10:00:00+07"


_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def _uuid(rng: random.Random) -> str:
    """A random (version 4) UUID as 32 hex digits, which PostgreSQL reads: faster than uuid.UUID."""
    return f"{(rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET:032x}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


# --- the generator ----------------------------------------------------------------------------------------


@dataclass
class Officer:
    pk: int
    name: str


@dataclass
class HouseholdPlan:
    pk: int
    surveyed_on: date
    changes: list[tuple[str, str, date]] = field(default_factory=list)  # (from, to, on)
    lines: list[dict] = field(default_factory=list)


@dataclass
class VisitPlan:
    center_id: int
    district_id: str
    visit_date: date
    # (surveyed on, enrolled on, debt-free on) of each household of the center, for the report's snapshot
    paths: list[tuple[date, date | None, date | None]]

    def snapshot(self, day: date) -> tuple[int, int]:
        """(enrolled or debt-free, debt-free) households on `day`, as visits.snapshot counts them."""
        enrolled = sum(1 for _s, on, _f in self.paths if on is not None and on <= day)
        debt_free = sum(1 for _s, _e, on in self.paths if on is not None and on <= day)
        return enrolled, debt_free


class Generator:
    def __init__(self, sizes: Sizes, *, today: date | None = None, log: Callable[[str], None] = print):
        self.sizes = sizes
        self.rng = random.Random(sizes.seed)  # noqa: S311 (fictional data, repeatable)
        self.today = today or timezone.localdate()
        self.start = add_months(self.today, -sizes.months)
        self.log = log
        self.report = Report()
        self.visits: list[VisitPlan] = []
        self.officers: dict[str, Officer] = {}
        self.provincials: dict[str, Officer] = {}

    # phases -------------------------------------------------------------------------------------------

    def run(self, *, defer_constraints: bool, workers: int = 1) -> Report:
        with connection.cursor() as cursor:
            self.cursor = cursor
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Memory to sort in when the indexes are rebuilt and the foreign keys validated.
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            self.sender = Sender(cursor)
            try:
                self._load(cursor, defer_constraints, workers)
            finally:
                self.sender.close()
        return self.report

    def _load(self, cursor: Any, defer_constraints: bool, workers: int) -> None:
        self._copiers()
        tables = sorted({c.table for c in self.copiers})
        creates: list[str] = []
        if defer_constraints:
            with self._phase("drop constraints and indexes"):
                # Checks still pending (from --replace) run now: a table with pending checks cannot change.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                drops, creates = _deferred_ddl(cursor, tables)
                for statement in drops:
                    cursor.execute(statement)
        with self._phase("villages"):
            self._villages()
            self._flush()  # before the accounts: the connection is free again
        with self._phase("accounts"):
            self._accounts()
        with self._phase("centers, households, debts, contracts, ledgers, visits"):
            self._centers_and_visits(workers)
        if defer_constraints:
            with self._phase("recreate constraints and indexes"):
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the new accounts' checks
                for statement in creates:
                    cursor.execute(statement)
        with self._phase("foreign key checks"):
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # small sets: the deferred checks run now
        with self._phase("sequences and analyze"):
            for copier in self.copiers:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                    [copier.table, copier.next_id],
                )
            for table in tables:
                cursor.execute(f"ANALYZE {table}")  # names from the models

    def _phase(self, name: str):
        generator = self

        class Phase:
            def __enter__(self) -> None:
                self.started = time.perf_counter()
                generator.log(f"{name}…")

            def __exit__(self, *exc: Any) -> None:
                seconds = round(time.perf_counter() - self.started, 1)
                generator.report.seconds[name] = seconds
                if exc[0] is None:
                    generator.log(f"  {name}: {seconds} s")

        return Phase()

    def _copiers(self) -> None:
        sender, report = self.sender, self.report

        def copier(model: Any) -> Copier:
            return Copier(sender, model, report)

        self.village = copier(Village)
        self.center = copier(Center)
        self.fund = copier(MemberFund)
        self.rule = copier(SavingsRule)
        self.tier = copier(SavingsTier)
        self.household = copier(Household)
        self.budget = copier(BudgetStatement)
        self.status_change = copier(StatusChange)
        self.debt_line = copier(DebtLine)
        self.balance = copier(DebtBalance)
        self.contract = copier(Contract)
        self.tranche = copier(Tranche)
        self.payoff = copier(Payoff)
        self.instalment = copier(ScheduledInstalment)
        self.repayment = copier(Repayment)
        self.repayment_line = copier(RepaymentLine)
        self.saving = copier(SavingsEntry)
        self.trip = copier(Trip)
        self.member = copier(TripMember)
        self.stop = copier(ItineraryStop)
        self.report_copier = copier(CenterReport)
        self.recommendation = copier(Recommendation)
        self.follow_up = copier(FollowUp)
        self.copiers = [value for value in vars(self).values() if isinstance(value, Copier)]

    def _flush(self) -> None:
        for copier in self.copiers:
            copier.flush()
        self.sender.wait()

    # villages and centers -----------------------------------------------------------------------------

    def _villages(self) -> None:
        rng = self.rng
        subdistricts = list(
            Subdistrict.objects.exclude(district__province__in=PROVINCES_WITHOUT_CDD)
            .order_by("code")
            .values_list("code", "district_id")
        )
        by_province: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, district in subdistricts:
            by_province[district[:2]].append((code, district))
        # Centers per province: its subdistricts times a random factor of the province.
        provinces = sorted(by_province)
        weights = [len(by_province[p]) * rng.uniform(0.6, 1.4) for p in provinces]
        counts = _apportion(self.sizes.centers, weights)
        self.center_places: list[tuple[str, str, str]] = []  # (province, district, subdistrict)
        for province, count in zip(provinces, counts, strict=True):
            places = by_province[province]
            for _ in range(count):
                code, district = rng.choice(places)
                self.center_places.append((province, district, code))
        rng.shuffle(self.center_places)
        # Villages (4 to 16 a subdistrict, about ten) in the subdistricts that have a center: at full size
        # nearly all of them, about 70,000 villages; a small set gets only the villages it uses.
        self.villages_of: dict[str, list[tuple[int, str]]] = {}  # subdistrict -> [(village id, name)]
        for code in sorted({code for _p, _d, code in self.center_places}):
            villages = []
            for moo in range(1, rng.randint(4, 16) + 1):
                pk = self.village.take_id()
                name = f"บ้าน{rng.choice(VILLAGE_PREFIXES)}{rng.choice(VILLAGE_SUFFIXES)}"
                self.village.row(pk, code, moo, Village.code_for(code, moo), name)
                villages.append((pk, name))
            self.villages_of[code] = villages

    def _accounts(self) -> None:
        User = get_user_model()
        districts = sorted({district for _p, district, _s in self.center_places})
        provinces = sorted({province for province, _d, _s in self.center_places})
        users = [
            User(
                username=f"{SCALE_USER_PREFIX}district_{code}",
                first_name=_person(self.rng).split()[0],
                last_name=self.rng.choice(LAST_NAMES),
                office_level=OfficeLevel.DISTRICT,
                district_id=code,
                position_title="นักวิชาการพัฒนาชุมชนชำนาญการ",
                password="!",  # noqa: S106 (an unusable password: these accounts cannot log in)
            )
            for code in districts
        ] + [
            User(
                username=f"{SCALE_USER_PREFIX}province_{code}",
                first_name=_person(self.rng).split()[0],
                last_name=self.rng.choice(LAST_NAMES),
                office_level=OfficeLevel.PROVINCE,
                province_id=code,
                position_title="พัฒนาการจังหวัด",
                password="!",  # noqa: S106 (an unusable password: these accounts cannot log in)
            )
            for code in provinces
        ]
        User.objects.bulk_create(users)
        for user in User.objects.filter(username__startswith=SCALE_USER_PREFIX):
            officer = Officer(user.pk, f"{user.first_name} {user.last_name}")
            if user.office_level == OfficeLevel.DISTRICT:
                self.officers[user.district_id] = officer
            else:
                self.provincials[user.province_id] = officer
        self.report.rows["accounts_user"] += len(users)

    def _center_plan(self) -> list[tuple]:
        """(province, district, village id, village name, villages, households) of each center, in order."""
        rng, sizes = self.rng, self.sizes
        weights = [rng.uniform(0.2, 1.8) for _ in range(sizes.centers)]
        per_center = _apportion(
            sizes.households, weights, minimum=1 if sizes.households >= sizes.centers else 0
        )
        used: dict[str, int] = defaultdict(int)
        plan = []
        for (province, district, subdistrict), households in zip(self.center_places, per_center, strict=True):
            villages = self.villages_of[subdistrict]
            slot = used[subdistrict]
            used[subdistrict] += 1
            village_id, village_name = villages[slot % len(villages)]
            suffix = "" if slot < len(villages) else f" {slot // len(villages) + 1}"
            plan.append((province, district, village_id, village_name + suffix, villages, households))
        return plan

    def _centers(self, plan: list[tuple]) -> None:
        mean = self.sizes.households / max(1, self.sizes.centers)
        started = time.perf_counter()
        for index, center in enumerate(plan):
            self._center(*center)
            if index and index % 2500 == 0:
                rate = index / (time.perf_counter() - started)
                self.log(f"    {index} centers ({rate:.0f}/s, about {mean:.0f} households each)")

    def _centers_and_visits(self, workers: int) -> None:
        """Every center with its households, contracts and ledgers, then the trips; in `workers` processes
        (whole districts each, so that a trip stays in one) whose buffers this process sends."""
        plan = self._center_plan()
        if workers <= 1:
            self._centers(plan)
            self._trips()
            self._flush()
            return
        load: list[int] = [0] * workers
        worker_of: dict[str, int] = {}
        per_district: dict[str, int] = defaultdict(int)
        for _p, district, _v, _n, _vs, households in plan:
            per_district[district] += households + 5
        for district in sorted(per_district, key=lambda d: (-per_district[d], d)):
            worker_of[district] = load.index(min(load))
            load[worker_of[district]] += per_district[district]
        self._flush()
        context = multiprocessing.get_context("fork")
        out = context.Queue(maxsize=4 * workers)
        processes = [
            context.Process(
                target=self._work,
                args=(w, workers, [c for c in plan if worker_of[c[1]] == w], out),
                daemon=True,
            )
            for w in range(workers)
        ]
        for process in processes:
            process.start()
        try:
            finished = []
            while len(finished) < workers:
                item = out.get()
                if item[0] == "copy":
                    self.sender.send(item[1], item[2])
                elif item[0] == "done":
                    finished.append(item[1])
                else:
                    raise RuntimeError(f"A worker failed:\n{item[1]}")
            self.sender.wait()
            for process in processes:
                process.join()
        finally:
            for process in processes:
                if process.is_alive():
                    process.terminate()
        by_table = {copier.table: copier for copier in self.copiers}
        for rows, next_ids in finished:
            for table, count in rows.items():
                self.report.rows[table] += count
            for table, next_id in next_ids.items():
                by_table[table].next_id = max(by_table[table].next_id, next_id)

    def _work(self, worker: int, workers: int, plan: list[tuple], out: Any) -> None:
        """In a worker process: write `plan`'s centers and their trips, sending the buffers to `out`."""
        try:
            self.rng = random.Random(f"{self.sizes.seed}/{worker}")  # noqa: S311 (fictional data)
            self.report, self.visits = Report(), []
            self.sender = QueueSender(out)
            if worker:
                self.log = lambda message: None
            for copier in self.copiers:
                copier.sender, copier.report, copier.parts = self.sender, self.report, []
                copier.next_id, copier.step = copier.next_id + worker, workers
            self._centers(plan)
            self._trips()
            self._flush()
            out.put(("done", (dict(self.report.rows), {c.table: c.next_id for c in self.copiers})))
        except BaseException:  # reported to the main process, which stops
            out.put(("error", traceback.format_exc()))

    def _center(
        self,
        province: str,
        district: str,
        village_id: int,
        village_name: str,
        villages: list,
        households: int,
    ) -> None:
        rng = self.rng
        officer = self.officers[district]
        center_id = self.center.take_id()
        founded = date(rng.randint(2008, 2022), rng.randint(1, 12), rng.randint(1, 28))
        status = Center.Status.ACTIVE if rng.random() < 0.97 else Center.Status.DORMANT
        self.center.row(
            center_id,
            f"ศูนย์จัดการกองทุนชุมชน{village_name}",
            village_id,
            to_be_year(founded.year),
            founded,
            status,
            None,  # members: the center's register is not generated
            "",
        )
        # Member funds: the savings group is the core; then 1–3 more.
        funds: list[tuple[int, Decimal, Decimal]] = []  # (id, capital, annual rate)
        rate_unit = "month" if rng.random() < 0.3 else "year"
        yearly = Decimal(rng.choice((6, 7, 8, 9, 10, 12)))
        rate = (yearly / 12).quantize(Decimal("0.001")) if rate_unit == "month" else yearly
        capital = _round_to(rng.uniform(800_000, 8_000_000), 1000)
        fund_id = self.fund.take_id()
        self.fund.row(
            fund_id,
            center_id,
            FundType.SAVINGS_GROUP,
            "กลุ่มออมทรัพย์เพื่อการผลิต",
            True,
            True,
            True,  # counted in managed capital
            "",
            1,  # one fund in the row
            capital,
            self.start,
            rng.randint(80, 600),
            rate,
            rate_unit,
        )
        funds.append((fund_id, capital, rate * (12 if rate_unit == "month" else 1)))
        for fund_type, name, (low, high), unit, (rate_low, rate_high) in rng.sample(
            OPTIONAL_FUNDS, rng.randint(1, 3)
        ):
            capital = _round_to(rng.uniform(low, high), 1000)
            rate = Decimal(rng.randint(rate_low, rate_high))
            fund_id = self.fund.take_id()
            self.fund.row(
                fund_id,
                center_id,
                fund_type,
                name,
                False,
                True,
                True,
                "",
                1,
                capital,
                self.start,
                rng.randint(30, 300),
                rate,
                unit,
            )
            funds.append((fund_id, capital, rate))
        rule_id = self.rule.take_id()
        share = Decimal(rng.choice((0, 5, 10, 10, 15, 20))).quantize(CENT)
        minimum_share = Decimal(rng.choice((0, 5, 10))).quantize(CENT)
        self.rule.row(rule_id, center_id, share, minimum_share, PayoffRule.INSTALMENT.value, "")
        tiers = [
            (ZERO, Decimal("100.00")),
            (Decimal("30000.00"), Decimal("200.00")),
            (Decimal("60000.00"), Decimal("300.00")),
        ]
        for principal_from, monthly in tiers:
            self.tier.row(self.tier.take_id(), rule_id, principal_from, monthly)

        plans: list[HouseholdPlan] = []
        house_plans = []
        for _ in range(households):
            surveyed = self.start + timedelta(days=rng.randint(0, int(self.sizes.months * 30.4 * 0.75)))
            house_plans.append(surveyed)
        house_plans.sort()  # contracts are numbered in the order they are drawn up: surveys come first
        contract_queue = []
        for surveyed in house_plans:
            plan, contract = self._household(
                center_id, village_id, villages, officer, funds, tiers, share, surveyed, minimum_share
            )
            plans.append(plan)
            if contract:
                contract_queue.append(contract)
        contract_queue.sort(key=lambda c: c["drawn_up_on"])
        for count, contract in enumerate(contract_queue, start=1):  # "BE year/sequence", as the app numbers
            number = f"{to_be_year(contract['drawn_up_on'].year)}/{count:04d}"
            self._contract(center_id, officer, contract, number)
        # The registry is written once the contracts have their numbers (the payoff notes name them).
        for plan in plans:
            cleared_on = next((on for _f, to, on in plan.changes if to == HouseholdStatus.DEBT_FREE), None)
            for line in plan.lines:
                self._write_debt_line(line, officer, cleared_on)
            self._write_household_changes(plan, officer)
        # Visits: about months / 12 a center, not before the first survey.
        visits = max(0, round(rng.gauss(self.sizes.months / 12, 0.8)))
        first = min(house_plans) if house_plans else self.start
        span = (self.today - first).days
        if visits and span >= 2:
            paths = [
                (
                    plan.surveyed_on,
                    next((on for _f, to, on in plan.changes if to == HouseholdStatus.ENROLLED), None),
                    next((on for _f, to, on in plan.changes if to == HouseholdStatus.DEBT_FREE), None),
                )
                for plan in plans
            ]
            for _ in range(visits):
                day = first + timedelta(days=rng.randint(1, span - 1))
                self.visits.append(VisitPlan(center_id, district, day, paths))

    # households, debts ---------------------------------------------------------------------------------

    def _household(
        self,
        center_id: int,
        village_id: int,
        villages: list,
        officer: Officer,
        funds: list,
        tiers: list,
        share: Decimal,
        surveyed: date,
        minimum_share: Decimal,
    ) -> tuple[HouseholdPlan, dict | None]:
        rng, today = self.rng, self.today
        pk = self.household.take_id()
        plan = HouseholdPlan(pk, surveyed)
        # A unique, valid, fictional ID per household: 7919 is prime to 10**11, so no two share one.
        first_twelve = f"{1 + pk % 8}{(pk * 7919 + self.sizes.seed) % 10**11:011d}"
        normalized = national_id.with_check_digit(first_twelve)
        village = village_id if rng.random() < 0.7 else rng.choice(villages)[0]

        # The registry: 1–5 lines with a balance on the survey date.
        lines = []
        for sector, chance in SECTOR_CHANCE.items():
            for _ in range(3):
                if rng.random() >= chance / (1 if not lines or _ == 0 else 3):
                    break
                lines.append(self._debt_line(pk, sector, surveyed))
                if len(lines) >= 5:
                    break
        if not lines:
            lines.append(self._debt_line(pk, "informal", surveyed))

        # Its path: target and contract for most, some stay surveyed or target, a few withdraw.
        fate = rng.random()
        contract = None
        target_on = surveyed + timedelta(days=rng.randint(7, 60))
        if fate < 0.70 and target_on < today:
            plan.changes.append((HouseholdStatus.SURVEYED, HouseholdStatus.TARGET, target_on))
            drawn_up = target_on + timedelta(days=rng.randint(3, 30))
            signed = drawn_up + timedelta(days=rng.randint(0, 10))
            if fate < 0.04:
                withdrawn = target_on + timedelta(days=rng.randint(5, 60))
                if withdrawn < today:
                    plan.changes.append((HouseholdStatus.TARGET, HouseholdStatus.WITHDRAWN, withdrawn))
            elif fate < 0.62 and signed < today:
                contract = self._plan_contract(plan, lines, funds, tiers, share, drawn_up, signed)
                contract["minimum_stock"] = _money(
                    sum((amount for _i, _f, amount, _r, _m in contract["tranches"]), ZERO)
                    * minimum_share
                    / 100
                )
        plan.lines = lines

        income = [_round_to(rng.uniform(0, high), 100) for high in (12000, 9000, 6000, 3000, 1500, 1000)]
        expense = [
            _round_to(rng.uniform(low, high), 100)
            for low, high in (
                (2500, 6000),
                (500, 2500),
                (0, 2000),
                (0, 800),
                (300, 1500),
                (0, 3000),
                (0, 800),
                (0, 1000),
            )
        ]
        debt_paid = sum((line["instalment"] or ZERO for line in lines), ZERO)
        self.budget.row(self.budget.take_id(), pk, surveyed, *income, *expense, debt_paid, "")
        last = plan.changes[-1] if plan.changes else None
        self.household.named(
            id=pk,
            center=center_id,
            village=village,
            house_number=f"{rng.randint(1, 250)}" + (f"/{rng.randint(1, 9)}" if rng.random() < 0.2 else ""),
            head_name=("นาย " if rng.random() < 0.5 else "นาง ") + _person(rng),
            national_id_encrypted=national_id.encrypt(normalized),
            national_id_hash=national_id.keyed_hash(normalized),
            phone=f"08{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}",
            members=rng.randint(1, 8),
            occupations=rng.choice(OCCUPATIONS),
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            surveyed_by=officer.name,
            surveyed_on=surveyed,
            status=last[1] if last else HouseholdStatus.SURVEYED,
            status_since=last[2] if last else surveyed,
        )
        return plan, contract

    def _debt_line(self, household_id: int, sector: str, surveyed: date) -> dict:
        rng = self.rng
        creditor, _w, (low, high), unit, (rate_low, rate_high) = _weighted(rng, CREDITORS[sector])
        assert SECTOR_OF[creditor] == sector
        original = _round_to(rng.uniform(low, high), 500)
        balance = _round_to(float(original) * rng.uniform(0.3, 1.0), 100)
        rate = Decimal(rng.randint(rate_low * 10, rate_high * 10)) / 10 if rate_high else Decimal(0)
        if unit == "day":
            rate = (rate / 10).quantize(Decimal("0.001"))
        started = surveyed - timedelta(days=rng.randint(60, 1800))
        months = rng.choice((12, 24, 36, 60))
        return {
            "id": self.debt_line.take_id(),
            "household": household_id,
            "sector": sector,
            "creditor": creditor,
            "original": original,
            "started": started,
            "rate": rate,
            "unit": unit,
            "instalment": _round_to(float(original) / months, 10),
            "balances": [(surveyed, balance, "")],
        }

    def _write_debt_line(self, line: dict, officer: Officer, cleared_on: date | None) -> None:
        rng, today = self.rng, self.today
        balances = line["balances"]
        surveyed, first_balance, _n = balances[0]
        if not line.get("paid_off"):
            # A re-survey a year on: the balance went down (or was cleared), the debt-free cleared it all.
            resurvey = surveyed + timedelta(days=rng.randint(330, 400))
            if cleared_on is not None:
                balances.append((max(cleared_on, surveyed), ZERO, "ปลดหนี้"))
            elif resurvey < today:
                left = (
                    _round_to(float(first_balance) * rng.uniform(0, 0.9), 100) if rng.random() > 0.1 else ZERO
                )
                balances.append((resurvey, left, "สำรวจซ้ำ"))
        last_on, last_balance, _n = balances[-1]
        closed = last_balance == 0
        self.debt_line.row(
            line["id"],
            line["household"],
            line["sector"],
            line["creditor"],
            "",
            line["original"],
            line["started"],
            line["rate"],
            line["unit"],
            annual_rate(line["rate"], line["unit"]),
            line["instalment"],
            "monthly",
            "",
            "",
            DebtLine.Status.PAID_OFF if closed else DebtLine.Status.OPEN,
            last_on if closed else None,
            last_balance,
            last_on,
        )
        for on, balance, note in balances:
            self.balance.row(self.balance.take_id(), officer.pk, _stamp(on), line["id"], on, balance, note)

    # contracts and ledgers -----------------------------------------------------------------------------

    def _plan_contract(
        self,
        plan: HouseholdPlan,
        lines: list,
        funds: list,
        tiers: list,
        share: Decimal,
        drawn_up: date,
        signed: date,
    ) -> dict:
        """A contract paying off the household's informal and community lines (or its smallest formal one)."""
        rng = self.rng
        paid = [line for line in lines if line["sector"] != "formal"]
        if not paid:
            paid = [min(lines, key=lambda line: line["balances"][0][1])]
        total = sum((line["balances"][0][1] for line in paid), ZERO)
        principal = Decimal(math.ceil(total / 1000) * 1000).quantize(CENT)
        core = funds[0]
        if len(funds) > 1 and rng.random() < 0.45 and principal >= 2000:
            other = rng.choice(funds[1:])
            second = _round_to(float(principal) * rng.uniform(0.2, 0.5), 100)
            second = min(second, other[1])
            parts = [(core, principal - second), (other, second)]
        else:
            parts = [(core, principal)]
        term = _weighted(rng, TERMS)[0]
        first_due = add_months(signed, 1)
        method = Method.FLAT if rng.random() < 0.7 else Method.DECLINING
        tranches = [
            (self.tranche.take_id(), fund, amount, fund[2], method) for fund, amount in parts if amount > 0
        ]
        schedule = calculations.schedule(
            [calculations.Tranche(pk, amount, rate, m) for pk, _f, amount, rate, m in tranches],
            term,
            first_due,
        )
        monthly_saving = calculations.saving_due(
            principal=principal, instalment=schedule[0].amount, tiers=tiers, instalment_share=share
        )
        plan.changes.append((HouseholdStatus.TARGET, HouseholdStatus.ENROLLED, signed))
        for line in paid:
            line["paid_off"] = True
            line["balances"].append((signed, ZERO, "__payoff__"))
        contract = {
            "id": self.contract.take_id(),
            "plan": plan,
            "drawn_up_on": drawn_up,
            "signed_on": signed,
            "first_due_on": first_due,
            "term": term,
            "tranches": tranches,
            "schedule": schedule,
            "monthly_saving": monthly_saving,
            "paid": paid,
            "behaviour": _weighted(rng, BEHAVIOURS)[0],
        }
        self._simulate(contract)
        return contract

    def _simulate(self, contract: dict) -> None:
        """The payments up to today, allocated as the app does; a contract repaid in full closes."""
        rng, today = self.rng, self.today
        schedule, behaviour = contract["schedule"], contract["behaviour"]
        keys = [pk for pk, *_rest in contract["tranches"]]
        principal = {pk: amount for pk, _f, amount, _r, _m in contract["tranches"]}
        paid_interest = dict.fromkeys(keys, ZERO)
        paid_principal = dict.fromkeys(keys, ZERO)
        due_dates = [instalment.due_date for instalment in schedule]
        payments = []  # (paid_on, amount, allocation, closes)
        stop_at = rng.randint(1, max(1, len(schedule) - 1)) if behaviour == "arrears" else None
        payoff_at = rng.randint(3, max(3, len(schedule) - 2)) if behaviour == "early_payoff" else None
        closed_on = None
        for instalment in schedule:
            if instalment.due_date > today:
                break
            number = instalment.number
            delay = rng.randint(5, 25) if behaviour == "late" else 0
            paid_on = instalment.due_date + timedelta(days=delay)
            if paid_on > today:
                break
            amount = instalment.amount
            if stop_at is not None and number >= stop_at:
                if rng.random() < 0.7:
                    continue  # missed
                amount = _money(amount / 2)
            current = calculations.current_instalment(due_dates, paid_on)
            left = calculations.outstanding(
                schedule, paid_interest=paid_interest, paid_principal=paid_principal
            )
            payoff = payoff_at is not None and number >= payoff_at
            payable = sum(left.interest_to(current).values(), ZERO)
            payable += sum(left.principal_owed().values(), ZERO)
            if payoff or amount > payable:
                amount = payable  # the payoff of the default rule (the current instalment's interest)
            if amount <= 0:
                break
            allocation = calculations.allocate_payment(
                amount,
                instalments=schedule,
                paid_interest=paid_interest,
                paid_principal=paid_principal,
                current=current,
            )
            for key in keys:
                paid_interest[key] += allocation.interest[key]
                paid_principal[key] += allocation.principal[key]
            closes = all(paid_principal[k] == principal[k] for k in keys)
            payments.append((paid_on, amount, allocation, closes))
            if closes:
                closed_on = paid_on
                break
        contract["payments"] = payments
        contract["closed_on"] = closed_on
        if closed_on is not None:
            contract["plan"].changes.append((HouseholdStatus.ENROLLED, HouseholdStatus.DEBT_FREE, closed_on))

    def _contract(self, center_id: int, officer: Officer, contract: dict, number: str) -> None:
        rng = self.rng
        pk, user = contract["id"], officer.pk
        closed_on = contract["closed_on"]
        self.contract.row(
            pk,
            contract["plan"].pk,
            center_id,
            number,
            contract["term"],
            contract["first_due_on"],
            contract["monthly_saving"],
            PayoffRule.INSTALMENT.value,
            "",  # no late-payment clause
            Contract.Status.CLOSED if closed_on else Contract.Status.ACTIVE,
            contract["drawn_up_on"],
            contract["signed_on"],
            closed_on,
            None,
            user,
            None,  # never cancelled
            "",
            None,  # no affordability figures (no budget compared)
            None,
            "",
        )
        for tranche_id, fund, amount, rate, method in contract["tranches"]:
            self.tranche.row(tranche_id, pk, fund[0], amount, rate, method.value)
        note = f"ชำระหนี้แทนโดยสัญญาเลขที่ {number}"
        for index, line in enumerate(contract["paid"], start=1):
            receipt = f"R{contract['signed_on']:%y%m}-{pk}-{index}"
            amount = line["balances"][0][1]
            self.payoff.row(
                self.payoff.take_id(), pk, line["id"], amount, contract["signed_on"], receipt, "", ""
            )
            line["balances"][-1] = (contract["signed_on"], ZERO, f"{note} ({receipt})")
        # The schedule is the largest table: its rows are written here directly.
        copier = self.instalment
        next_id, step, rows = copier.next_id, copier.step, []
        tranche_ids = [tranche[0] for tranche in contract["tranches"]]
        for instalment in contract["schedule"]:
            head = f"\t{pk}\t"
            tail = f"\t{instalment.number}\t{instalment.due_date}\t"
            lines = instalment.lines
            for tranche_id in tranche_ids:
                line = lines[tranche_id]
                rows.append(
                    f"{next_id}{head}{tranche_id}{tail}{line.principal}\t{line.interest}\t{line.balance}"
                )
                next_id += step
        copier.next_id = next_id
        copier.parts.extend(rows)
        if len(copier.parts) >= copier.FLUSH_ROWS:
            copier.flush()
        repayment, saving = self.repayment, self.saving
        saving_due = contract["monthly_saving"]
        receipts = 0
        saved = ZERO
        for paid_on, amount, allocation, closes in contract["payments"]:
            stamp = _stamp(paid_on)
            receipts += 1
            original = repayment.take_id()
            repayment.line(
                f"{original}\t{pk}\t{paid_on}\t{amount}\t{number}-{receipts:03d}\t{_uuid(rng)}\t\\N\t"
                f"{'t' if closes else 'f'}\t\t{user}\t{stamp}"
            )
            self._repayment_lines(original, allocation, 1)
            if not closes and rng.random() < 0.004:
                # Recorded by mistake: reversed the same day, then recorded again.
                receipts += 1
                reversal = repayment.take_id()
                repayment.line(
                    f"{reversal}\t{pk}\t{paid_on}\t{-amount}\t{number}-{receipts:03d}\t{_uuid(rng)}\t"
                    f"{original}\tf\tบันทึกจำนวนเงินผิด\t{user}\t{stamp}"
                )
                self._repayment_lines(reversal, allocation, -1)
                receipts += 1
                again = repayment.take_id()
                repayment.line(
                    f"{again}\t{pk}\t{paid_on}\t{amount}\t{number}-{receipts:03d}\t{_uuid(rng)}\t\\N\t"
                    f"f\t\t{user}\t{stamp}"
                )
                self._repayment_lines(again, allocation, 1)
            if saving_due > 0 and (contract["behaviour"] != "arrears" or rng.random() < 0.6):
                saving.line(
                    f"{saving.take_id()}\t{pk}\t{paid_on}\tdeposit\t{saving_due}\t\t\\N\t{_uuid(rng)}\t"
                    f"{user}\t{stamp}"
                )
                saved += saving_due
                taken = _money(saving_due)
                if rng.random() < 0.005 and saved - taken >= contract["minimum_stock"]:
                    # A withdrawal of a little of what was saved, within the rule.
                    saved -= taken
                    saving.line(
                        f"{saving.take_id()}\t{pk}\t{paid_on}\twithdrawal\t{-taken}\tค่าเล่าเรียนบุตร\t\\N\t"
                        f"{_uuid(rng)}\t{user}\t{stamp}"
                    )

    def _repayment_lines(self, repayment_id: int, allocation: calculations.Allocation, sign: int) -> None:
        copier = self.repayment_line
        for key, interest in allocation.interest.items():
            principal = allocation.principal[key]
            if interest or principal:
                if sign < 0:
                    interest, principal = -interest, -principal
                copier.line(f"{copier.take_id()}\t{repayment_id}\t{key}\t{interest}\t{principal}")

    def _write_household_changes(self, plan: HouseholdPlan, officer: Officer) -> None:
        notes = {
            HouseholdStatus.TARGET: "คณะกรรมการคัดเลือกเป็นครัวเรือนเป้าหมาย",
            HouseholdStatus.ENROLLED: "ทำสัญญา 1 ครัวเรือน 1 สัญญา",
            HouseholdStatus.DEBT_FREE: "ปลดหนี้",
            HouseholdStatus.WITHDRAWN: "ขอถอนตัว",
        }
        for from_status, to_status, on in plan.changes:
            self.status_change.row(
                self.status_change.take_id(),
                officer.pk,  # recorded_by and recorded_at come first: fields of core.models.Recorded
                _stamp(on),
                plan.pk,
                from_status,
                to_status,
                on,
                notes[to_status],
            )

    # visits ------------------------------------------------------------------------------------------

    def _trips(self) -> None:
        groups: dict[tuple[str, int, int], list[VisitPlan]] = defaultdict(list)
        for visit in self.visits:
            groups[(visit.district_id, visit.visit_date.year, visit.visit_date.month)].append(visit)
        for (district, _year, _month), visits in sorted(groups.items()):
            visits.sort(key=lambda v: v.visit_date)
            trips: list[list[VisitPlan]] = []
            for visit in visits:  # up to 4 centers a trip, each once
                trip = next(
                    (t for t in trips if len(t) < 4 and all(v.center_id != visit.center_id for v in t)), None
                )
                if trip is None:
                    trips.append([visit])
                else:
                    trip.append(visit)
            for trip in trips:
                self._trip(district, trip)

    @staticmethod
    def _snapshot(visit: VisitPlan, day: date) -> tuple:
        enrolled, debt_free = visit.snapshot(day)
        return enrolled, None, debt_free, None, None  # as visits.snapshot: the rest is not computed there

    def _trip(self, district: str, visits: list[VisitPlan]) -> None:
        rng, today = self.rng, self.today
        officer, reviewer = self.officers[district], self.provincials[district[:2]]
        first = min(v.visit_date for v in visits)
        days = [min(first + timedelta(days=i), today) for i in range(len(visits))]
        trip_id = self.trip.take_id()
        self.trip.row(
            trip_id,
            TripLevel.DISTRICT,
            "ติดตามการดำเนินงานศูนย์จัดการกองทุนชุมชน",
            "ติดตามการแก้ไขปัญหาหนี้สินครัวเรือน 1 ครัวเรือน 1 สัญญา",
            "",
            first,
            max(days),
            district[:2],
            district,
            "",
            "",
            officer.pk,
            _stamp(first),
        )
        self.member.row(self.member.take_id(), trip_id, officer.pk, "", "", "", True, 0)  # the officer leads
        self.member.row(
            self.member.take_id(),
            trip_id,
            None,
            _person(rng),
            "เจ้าพนักงานพัฒนาชุมชน",
            "สำนักงานพัฒนาชุมชนอำเภอ",
            False,
            1,
        )
        self.stop.row(self.stop.take_id(), trip_id, first, "08:30:00", "ประชุมทีมที่สำนักงานพัฒนาชุมชนอำเภอ", None)
        for visit, day in zip(visits, days, strict=True):
            self.stop.row(
                self.stop.take_id(), trip_id, day, "09:30:00", "เยี่ยมศูนย์จัดการกองทุนชุมชน", visit.center_id
            )
            age = (today - day).days
            status = (
                ReportStatus.DRAFT
                if age < 7
                else ReportStatus.SUBMITTED
                if age < 30 or rng.random() < 0.15
                else ReportStatus.ACCEPTED
            )
            submitted = day + timedelta(days=min(age, rng.randint(1, 6)))
            accepted = status == ReportStatus.ACCEPTED
            reviewed = submitted + timedelta(days=min((today - submitted).days, rng.randint(1, 14)))
            report_id = self.report_copier.take_id()
            self.report_copier.row(
                report_id,
                trip_id,
                visit.center_id,
                day,
                f"{_person(rng)} – ประธาน\n{_person(rng)} – เหรัญญิก",
                rng.randint(5, 25),
                "คณะกรรมการครบตามโครงสร้าง",
                "กองทุนสมาชิกมีเงินทุนหมุนเวียน",
                "ทำสัญญาและชำระคืนตามงวด",
                "สมาชิกออมต่อเนื่อง",
                "บันทึกทะเบียนเป็นปัจจุบัน",
                "",
                "คณะกรรมการเข้มแข็ง",
                "ครัวเรือนบางส่วนค้างชำระ",
                status,
                None,  # token: a report written by a form only
                officer.pk,
                _stamp(day),
                None if status == ReportStatus.DRAFT else _stamp(submitted),
                reviewer.pk if accepted else None,
                _stamp(reviewed) if accepted else None,
                "",
                _stamp(day),
                status != ReportStatus.DRAFT,
                *self._snapshot(visit, day),
            )
            for order in range(rng.choice((0, 1, 1, 2, 2, 3))):
                due = day + timedelta(days=rng.choice((30, 60, 90)))
                pick = rng.random()
                if due >= today:
                    rec_status = RecommendationStatus.IN_PROGRESS if pick < 0.3 else RecommendationStatus.OPEN
                else:
                    rec_status = (
                        RecommendationStatus.DONE
                        if pick < 0.6
                        else RecommendationStatus.IN_PROGRESS
                        if pick < 0.7
                        else RecommendationStatus.DROPPED
                        if pick < 0.75
                        else RecommendationStatus.OPEN
                    )
                rec_id = self.recommendation.take_id()
                noted = min(day + timedelta(days=rng.randint(5, 80)), today)
                self.recommendation.row(
                    rec_id,
                    report_id,
                    "ให้คณะกรรมการจัดทำทะเบียนลูกหนี้ให้เป็นปัจจุบัน",
                    "committee",
                    due,
                    rec_status,
                    order,
                    _stamp(noted),
                )
                if rec_status != RecommendationStatus.OPEN:
                    self.follow_up.row(
                        self.follow_up.take_id(),
                        rec_id,
                        noted,
                        "ศูนย์ดำเนินการตามข้อเสนอแนะ",
                        rec_status,
                        "",
                        "",
                        officer.pk,
                        _stamp(noted),
                    )


# --- entry points -------------------------------------------------------------------------------------------


def data_tables() -> list[str]:
    """The tables `clear` empties: every table of the data apps (their history too) and the villages."""
    tables = [model._meta.db_table for app in DATA_APPS for model in apps.get_app_config(app).get_models()]
    tables += [Village._meta.db_table, Village.history.model._meta.db_table]
    return sorted(set(tables))


def has_data() -> bool:
    return Village.objects.exists() or Center.objects.exists() or Household.objects.exists()


def clear() -> None:
    """Empty every center, household, debt, contract, visit, rollup and village table, and remove the
    synthetic accounts. Geography (provinces, districts, subdistricts) and other accounts stay."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {', '.join(data_tables())} RESTART IDENTITY CASCADE"
        )  # names from the models
    User = get_user_model()
    scale_users = User.objects.filter(username__startswith=SCALE_USER_PREFIX)
    User.history.model.objects.filter(id__in=scale_users.values("pk")).delete()
    scale_users.delete()


def generate(
    sizes: Sizes,
    *,
    defer_constraints: bool | None = None,
    workers: int | None = None,
    today: date | None = None,
    log: Callable[[str], None] = print,
) -> Report:
    """Write the dataset (call inside a transaction: all or nothing). By default large sets drop and rebuild
    the constraints, and use one worker process per core (a set depends on its seed and its workers)."""
    large = sizes.households >= DEFER_CONSTRAINTS_FROM
    if defer_constraints is None:
        defer_constraints = large
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if large else 1
    return Generator(sizes, today=today, log=log).run(defer_constraints=defer_constraints, workers=workers)

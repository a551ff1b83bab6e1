"""Benchmark of the signed-in pages (issue 16): member, coordinator and funder, against the floor and pretix.

    .venv/bin/python bench/signed_in.py                          # scale 1, then scale 10
    .venv/bin/python bench/signed_in.py --scale 1 --compare-scale 0 --no-pretix --duration 2 --no-write

For each scale, on a fresh throwaway PostgreSQL and Redis (bench/stack.py): migrate,
``make_dataset --scale N``, ``load_demo --with-accounts``, VACUUM ANALYZE; then a meeting of
an ECCIPA community with 100 confirmed registrations (for the attendance page), the
sessions of the demo member, coordinator and funder (Django's own login, in-process), and
gunicorn with the production settings and the page cache off (``PORTAL_PAGE_CACHE_SECONDS=0``:
signed-in pages never use it, and the anonymous pages then render on every request, as
on a cache miss). pretix (bench/pretix.py) runs beside it on the same PostgreSQL and Redis
servers with the same gunicorn settings, and its public event page is measured in the same
rounds. Every round starts with the floor, /healthz/; one more floor run ends the scale.

Targets, per scale: every signed-in page ≥ 0.10 × the floor's throughput, p95 ≤ 250 ms and
≥ 10 × pretix's event page; every anonymous page with the cache off ≥ 0.10 × the floor;
every gunicorn worker's resident memory after the run ≤ 200 MiB. The exit code is 0 only
if every target passes. The figures go to the ``signed_in`` section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, machine, results, stack  # noqa: E402
from bench import pages as public_pages  # noqa: E402  (its helpers and its anonymous pages)

FLOOR_RATIO_TARGET = 0.10
P95_TARGET_MS = 250.0
PRETIX_TARGET = 10.0
MEMORY_TARGET_MIB = 200.0
ATTENDEES = 100  # registrations of the meeting whose attendance page is measured
RESULTS = ROOT / "bench" / "RESULTS.md"

MEMBER = "member@example.org"
COORDINATOR = "coordinator@example.org"
FUNDER = "funder@example.org"
PEOPLE = {"member": MEMBER, "coordinator": COORDINATOR, "funder": FUNDER}

SIGNED_IN = "signed-in"
ANONYMOUS = "anonymous"
PRETIX = "pretix"

# Run in ``manage.py shell`` under the production settings, after ``people = N``: a future
# meeting of an ECCIPA community with N confirmed registrations of N new people (bulk
# inserts: set-up, not what is measured), the meeting the member registered for, and a
# session per demo account made by Django's own login. Prints JSON after "JSON".
SETUP = """
import datetime as dt, json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from events.models import Community, Meeting, Registration

User = get_user_model()
community = Community.objects.filter(project__slug="eccipa").order_by("pk").first()
starts = (timezone.now() + dt.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
meeting = Meeting.objects.create(
    project=community.project, community=community, kind=Meeting.Kind.WORKSHOP,
    title=f"Benchmark workshop with {people} registrations", starts_at=starts,
    ends_at=starts + dt.timedelta(hours=3), timezone="Europe/Rome", format=Meeting.Format.IN_PERSON,
    venue="Sala del Consiglio", city="Ravenna", country="IT", language="en",
    capacity=max(people, 120), audience=Meeting.Audience.PUBLIC,
)
emails = [f"bench-attendee-{n:03d}@example.org" for n in range(people)]
User.objects.bulk_create(
    [User(email=email, first_name="Attendee", last_name=f"{n:03d}", preferred_language="en")
     for n, email in enumerate(emails)]
)
sectors = [value for value, _ in Registration.Sector.choices]
Registration.objects.bulk_create(
    [Registration(meeting=meeting, user=user, status=Registration.Status.CONFIRMED,
                  sector=sectors[n % len(sectors)], consent_to_list=n % 2 == 0,
                  created_at=timezone.now() - dt.timedelta(minutes=people - n),
                  queued_at=timezone.now() - dt.timedelta(minutes=people - n))
     for n, user in enumerate(User.objects.filter(email__in=emails).order_by("email"))]
)
registered = (
    Registration.objects.filter(user__email=MEMBER, status=Registration.Status.CONFIRMED)
    .select_related("meeting").order_by("meeting__starts_at").first()
)
sessions = {}
for role, email in PEOPLE.items():
    client = Client()
    client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
    sessions[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
print("JSON" + json.dumps({
    "attendance_meeting": meeting.pk,
    "attendance_title": meeting.title,
    "attendance_registrations": meeting.registrations.filter(status=Registration.Status.CONFIRMED).count(),
    "member_meeting": registered.meeting_id if registered else None,
    "member_meeting_title": registered.meeting.title if registered else "",
    "sessions": sessions,
}))
"""


@dataclass(frozen=True)
class Page:
    """One measured page: who asks for it, where it is served, what its answer must contain."""

    group: str  # SIGNED_IN, ANONYMOUS or PRETIX
    target: load.Target
    expect: tuple[str, ...] = ()
    role: str = ""  # member, coordinator, funder for the signed-in pages
    host: str = stack.HOST
    port: int = 0  # 0: the portal's gunicorn

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def path(self) -> str:
        return self.target.path


@dataclass
class Setup:
    attendance_meeting: int
    attendance_title: str
    attendance_registrations: int
    member_meeting: int
    member_meeting_title: str
    sessions: dict[str, str]


@dataclass
class ScaleRun:
    scale: float
    build: dict[str, float]
    rows: dict[str, int]
    floors: list[load.Measurement]  # one per round, and one at the end
    measured: dict[Page, load.Measurement]  # per page, the best of its rounds
    memory_mib: dict[int, float]  # gunicorn worker pid -> VmRSS after the run
    software: dict[str, str]
    server: str
    pretix: str = ""  # pretix's description, when it ran
    notes: list[str] = field(default_factory=list)

    @property
    def floor(self) -> load.Measurement:
        return public_pages.best(self.floors)

    @property
    def floor_spread(self) -> str:
        return ", ".join(f"{m.rps:.0f}" for m in self.floors)

    def ratio(self, measurement: load.Measurement) -> float:
        return measurement.rps / self.floor.rps if self.floor.rps else 0.0

    def of(self, group: str) -> list[tuple[Page, load.Measurement]]:
        return [(page, m) for page, m in self.measured.items() if page.group == group]

    @property
    def pretix_measurement(self) -> load.Measurement | None:
        found = self.of(PRETIX)
        return found[0][1] if found else None

    def times_pretix(self, measurement: load.Measurement) -> float | None:
        pretix = self.pretix_measurement
        if pretix is None:
            return None
        return measurement.rps / pretix.rps if pretix.rps else float("inf")

    def verdicts(self, page: Page, measurement: load.Measurement) -> dict[str, bool | None]:
        """None: the target does not apply to the page (or pretix was not measured)."""
        if page.group == PRETIX:
            return {"ratio": None, "p95": None, "pretix": None}
        ratio = self.ratio(measurement) >= FLOOR_RATIO_TARGET and not measurement.errors
        if page.group == ANONYMOUS:
            return {"ratio": ratio, "p95": None, "pretix": None}
        times = self.times_pretix(measurement)
        return {
            "ratio": ratio,
            "p95": measurement.p95 <= P95_TARGET_MS and not measurement.errors,
            "pretix": None if times is None else times >= PRETIX_TARGET,
        }

    def memory_verdict(self) -> bool:
        return bool(self.memory_mib) and all(mib <= MEMORY_TARGET_MIB for mib in self.memory_mib.values())

    def passed(self) -> bool:
        verdicts = [v for page, m in self.measured.items() for v in self.verdicts(page, m).values()]
        return all(v is not False for v in verdicts) and self.memory_verdict()


def set_up(site: stack.Site) -> Setup:
    code = f"people = {ATTENDEES}\nMEMBER = {MEMBER!r}\nPEOPLE = {PEOPLE!r}\n" + SETUP
    started = time.perf_counter()
    output = site.manage("shell", "-c", code, production=True)
    data = json.loads(output.split("JSON", 1)[1])
    if data["member_meeting"] is None:
        raise SystemExit(f"{MEMBER} has no confirmed registration in the demo data: no meeting page to measure.")
    if data["attendance_registrations"] != ATTENDEES:
        raise SystemExit(
            f"The attendance meeting has {data['attendance_registrations']} registrations, not {ATTENDEES}."
        )
    stack._log(
        f"meeting #{data['attendance_meeting']} with {ATTENDEES} registrations and 3 sessions: "
        f"{time.perf_counter() - started:.1f}s"
    )
    return Setup(**data)


def targets(services: stack.Services, setup: Setup) -> list[Page]:
    """Every measured page of the portal; detail pages show demo records, the same at every scale."""
    member, coordinator, funder = (setup.sessions[role] for role in ("member", "coordinator", "funder"))
    attendance = f"/attendance/meetings/{setup.attendance_meeting}/"
    reports = "/workspace/projects/eccipa/reports/"

    def signed_in(role: str, name: str, path: str, cookie: str, *expect: str) -> Page:
        return Page(SIGNED_IN, load.Target(f"{role}: {name}", path, anonymous=False, cookie=cookie), expect, role)

    pages = [
        signed_in(
            "member",
            "meeting page",
            f"/meetings/{setup.member_meeting}/",
            member,
            setup.member_meeting_title,
            "Your registration:",
        ),
        signed_in("member", "project page (ECCIPA)", "/projects/eccipa/", member, "<h1>ECCIPA "),
        signed_in("member", "meeting calendar", "/meetings/", member, "<h1>Meetings</h1>"),
        signed_in("member", "dashboard", "/dashboard/", member, "<h1>My dashboard</h1>"),
        signed_in("member", "my meetings", "/my/meetings/", member, "<h1>My meetings</h1>", setup.member_meeting_title),
        signed_in("coordinator", "dashboard", "/dashboard/", coordinator, "<h1>My dashboard</h1>", "ECCIPA"),
        signed_in("coordinator", "workspace (ECCIPA)", "/workspace/projects/eccipa/", coordinator, "<h1>ECCIPA "),
        signed_in(
            "coordinator",
            f"attendance, {ATTENDEES} registrations",
            attendance,
            coordinator,
            f"Attendance: {setup.attendance_title}",
            "Attendee 099",
        ),
        signed_in("coordinator", "reports list (ECCIPA)", reports, coordinator, "Progress reports of ECCIPA"),
        signed_in("funder", "dashboard", "/dashboard/", funder, "<h1>My dashboard</h1>", "ECCIPA"),
        signed_in("funder", "reports list (ECCIPA)", reports, funder, "Progress reports of ECCIPA"),
    ]
    # The anonymous pages of bench/pages.py: home, catalogue, project, organisation, calendar.
    for target in public_pages.targets(services, ""):
        if target.anonymous:
            pages.append(Page(ANONYMOUS, load.Target(f"anonymous: {target.name}", target.path)))
    return pages


def check(server: stack.Gunicorn, pages: list[Page], setup: Setup) -> None:
    """Refuses to measure a page that does not answer 200 with the person's own page."""
    # Each cookie belongs to its person: their profile shows their address.
    for role, email in PEOPLE.items():
        status, body, headers = load.fetch(stack.HOST, server.port, "/accounts/profile/", setup.sessions[role])
        if status != 200 or email.encode() not in body:
            raise SystemExit(
                f"The {role}'s session does not open {email}'s profile ({status} {headers.get('location', '')})."
            )
    for page in pages:
        if page.group == PRETIX:
            continue  # bench/pretix.py checks its own page when it starts
        status, body, headers = load.fetch(page.host, page.port or server.port, page.path, page.target.cookie)
        if status != 200 or b"<html" not in body:
            raise SystemExit(
                f"{page.name} ({page.path}) answered {status} {headers.get('location', '')}; "
                "not measuring a broken page (a redirect to two-factor set-up or re-authentication?)."
            )
        signed_in = b"Log out" in body
        if signed_in != (page.group == SIGNED_IN):
            raise SystemExit(f"{page.name} ({page.path}): signed in {signed_in}, expected {page.group}.")
        missing = [text for text in page.expect if text.encode() not in body]
        if missing:
            raise SystemExit(f"{page.name} ({page.path}) is not the expected page: {missing} not found.")


def worker_memory(master: int) -> dict[int, float]:
    """Resident memory (VmRSS, MiB) of each child of the gunicorn master process."""
    memory = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent != master:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    memory[int(proc.name)] = int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue  # a process that ended meanwhile
    return dict(sorted(memory.items()))


def start_pretix(services: stack.Services, options: argparse.Namespace) -> Any:
    from bench.pretix import Pretix  # only when asked for: it installs pretix into its own environment

    pretix = Pretix(services, options.workers, options.threads)
    pretix.start()
    return pretix


def pretix_page(pretix: Any) -> Page:
    target = pretix.event_target()
    host = getattr(target, "host", None) or getattr(pretix, "host", None) or stack.HOST
    port = getattr(target, "port", None) or pretix.port
    return Page(PRETIX, load.Target(f"pretix {pretix.version}: event page", target.path), host=host, port=port)


def selected(pages: list[Page], wanted: str) -> list[Page]:
    if not wanted:
        return pages
    words = [word.strip().lower() for word in wanted.split(",") if word.strip()]
    chosen = [page for page in pages if any(word in f"{page.name} {page.path}".lower() for word in words)]
    if not chosen:
        raise SystemExit(f"--pages {wanted!r} matches none of: {', '.join(page.name for page in pages)}")
    return chosen


def run_scale(scale: float, options: argparse.Namespace) -> ScaleRun:
    print(f"\n== scale {scale:g} ==", flush=True)
    services = stack.Services()
    site = None
    server = None
    pretix = None
    try:
        services.start()
        site = stack.Site(services)
        build = site.build(scale)
        setup = set_up(site)
        _analyze(services)
        rows = public_pages._row_counts(services)
        print("  · rows: " + ", ".join(f"{count:,} {label}" for label, count in rows.items()), flush=True)
        pages = selected(targets(services, setup), options.pages)
        server = stack.Gunicorn(
            site, workers=options.workers, threads=options.threads, extra_env={"PORTAL_PAGE_CACHE_SECONDS": "0"}
        )
        server.start()
        check(server, pages, setup)
        if options.pretix:
            pretix = start_pretix(services, options)
            pages.append(pretix_page(pretix))
        print(
            f"  · {server.describe()}, page cache off; {options.clients} clients, {options.warmup:g}s warm-up + "
            f"{options.duration:g}s measured per page, {options.rounds} rounds",
            flush=True,
        )

        def run(page: Page) -> load.Measurement:
            return load.run(page.target, page.host, page.port or server.port, options, width=48)

        floor = Page(ANONYMOUS, load.Target("floor: /healthz/", "/healthz/"))
        floors: list[load.Measurement] = []
        rounds: list[list[load.Measurement]] = []
        for number in range(1, options.rounds + 1):
            print(f"  · round {number} of {options.rounds}", flush=True)
            floors.append(run(floor))
            rounds.append([run(page) for page in pages])
        floors.append(run(floor))
        per_page = zip(*rounds, strict=True)
        measured = {page: public_pages.best(list(ms)) for page, ms in zip(pages, per_page, strict=True)}
        memory = worker_memory(server.process.pid) if server.process else {}
        assert services.postgres and services.redis
        software = machine.describe_software(services.postgres.version, services.redis.version)
        result = ScaleRun(scale, build, rows, floors, measured, memory, software, server.describe())
        if pretix:
            result.pretix = pretix.describe()
        if not memory:
            result.notes.append("No gunicorn worker found under the master process: memory not measured.")
        everything = [*floors, *(m for per_round in rounds for m in per_round)]
        failed = sorted({m.target.name for m in everything if m.errors})
        if failed:
            result.notes.append(f"Errors while measuring: {', '.join(failed)} (see the console output).")
        # Only requests that start and end inside the window count: a page slower than the
        # window allows for gets too few to say much (a longer --duration helps).
        thin = [page.name for page, m in measured.items() if m.requests < options.clients]
        if thin:
            result.notes.append(
                f"Fewer requests than clients ({options.clients}) in the measured window: {', '.join(thin)}; "
                "their figures are rough (the page is slow for the window, or the machine was busy)."
            )
        return result
    finally:
        if pretix:
            pretix.stop()
        if server:
            server.stop()
        services.stop()
        if site:
            site.stop()


def _analyze(services: stack.Services) -> None:
    # The set-up's bulk inserts come after the build's VACUUM ANALYZE: statistics for them too.
    import psycopg

    with psycopg.connect(services.dsn(), autocommit=True) as conn:
        conn.execute("ANALYZE events_meeting, events_registration, portal_user")


def _mark(verdict: bool | None) -> str:
    return "–" if verdict is None else ("PASS" if verdict else "FAIL")


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


def print_scale(run: ScaleRun) -> None:
    print(
        f"\n-- scale {run.scale:g}: floor {run.floor.rps:.1f} req/s (all floor runs: {run.floor_spread}); "
        "each page: the best of its rounds --"
    )
    header = (
        f"  {'page':<48} {'path':<36} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6} {'×pretix':>8} "
        f"{'KiB':>6}  ratio≥{FLOOR_RATIO_TARGET:g}  p95≤{P95_TARGET_MS:.0f}  ≥{PRETIX_TARGET:.0f}×pretix"
    )
    print(header)
    for page, m in run.measured.items():
        verdicts = run.verdicts(page, m)
        times = None if page.group == PRETIX else run.times_pretix(m)
        print(
            f"  {page.name:<48} {page.path:<36} {m.rps:7.1f} {m.p50:7.1f} {m.p95:7.1f} {run.ratio(m):6.3f} "
            f"{_times(times):>8} {m.body_bytes / 1024:6.1f}  {_mark(verdicts['ratio']):>9}  "
            f"{_mark(verdicts['p95']):>7}  {_mark(verdicts['pretix']):>11}"
        )
    if run.pretix_measurement is None:
        print("  pretix not measured (--no-pretix): the ≥ 10× pretix target is not judged.")
    print(f"  gunicorn workers' resident memory after the run (≤ {MEMORY_TARGET_MIB:.0f} MiB each):")
    for pid, mib in run.memory_mib.items():
        print(f"    worker {pid}: {mib:6.1f} MiB  {_mark(mib <= MEMORY_TARGET_MIB)}")
    for note in run.notes:
        print(f"  ! {note}")
    print(f"  scale {run.scale:g}: {'all targets PASS' if run.passed() else 'some targets FAIL'}")


def write_results(runs: list[ScaleRun], options: argparse.Namespace, argv: list[str]) -> None:
    first = runs[0]
    command = shlex.join(["python", "bench/signed_in.py", *argv])
    lines = results.heading("Signed-in pages: `bench/signed_in.py`", command, first.software)
    lines += [
        "",
        "### Method",
        "",
        "- For each scale, a fresh throwaway PostgreSQL and Redis (`bench/stack.py`): `migrate`, "
        "`make_dataset --scale N`, `load_demo --with-accounts`, `collectstatic`, `VACUUM (ANALYZE)`; then a future "
        f"meeting of an ECCIPA community with {ATTENDEES} confirmed registrations of {ATTENDEES} new people "
        "(bulk inserts) for the attendance page.",
        f"- Server: {first.server}, with `PORTAL_PAGE_CACHE_SECONDS=0`. Signed-in pages never use the page "
        "cache; with it off, every anonymous request renders, as on a cache miss.",
        "- Sessions of member@example.org, coordinator@example.org and funder@example.org are made in-process "
        "with Django's login (`Client.force_login`) and sent as cookies. Before measuring, each cookie must open "
        "its person's profile, and every page must answer 200 with its heading and, signed in, 'Log out' (no "
        "redirect to two-factor set-up).",
        f"- Load: {options.clients} concurrent keep-alive clients ({options.client_processes} processes, "
        f"`bench/load.py`), {options.warmup:g} s warm-up then {options.duration:g} s measured per page, in "
        f"{options.rounds} rounds over all pages; each page's figures are those of its best round. The floor, "
        "`/healthz/`, starts every round and ends the run; *ratio* = page ÷ best floor.",
        "- pretix: " + (first.pretix or "not measured in this run (`--no-pretix`)") + ". Its event page is measured "
        "in the same rounds; *× pretix* = page ÷ pretix's event page.",
        f"- Targets: signed-in pages ratio ≥ {FLOOR_RATIO_TARGET:g}, p95 ≤ {P95_TARGET_MS:.0f} ms and "
        f"≥ {PRETIX_TARGET:.0f}× pretix; anonymous pages with the cache off ratio ≥ {FLOOR_RATIO_TARGET:g}; every "
        f"gunicorn worker's resident memory (VmRSS) after the run ≤ {MEMORY_TARGET_MIB:.0f} MiB.",
    ]
    for run in runs:
        pretix = run.pretix_measurement
        lines += [
            "",
            f"### Scale {run.scale:g}",
            "",
            "Rows: "
            + ", ".join(f"{count:,} {label}" for label, count in run.rows.items())
            + ". Set-up: "
            + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in run.build.items())
            + ".",
            "",
            f"Floor (`/healthz/`): {run.floor.rps:.1f} req/s, p50 {run.floor.p50:.1f} ms, p95 {run.floor.p95:.1f} ms "
            f"(every floor run, req/s: {run.floor_spread}). Overall: "
            f"{'all targets PASS' if run.passed() else 'some targets FAIL'}.",
            "",
            "#### signed-in",
            "",
            f"| page | path | req/s | p50 ms | p95 ms | ratio | × pretix | size KiB | ratio ≥ {FLOOR_RATIO_TARGET:g} "
            f"| p95 ≤ {P95_TARGET_MS:.0f} ms | ≥ {PRETIX_TARGET:.0f}× pretix |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
        ]
        for page, m in run.of(SIGNED_IN):
            v = run.verdicts(page, m)
            lines.append(
                f"| {page.name} | `{page.path}` | {m.rps:.1f} | {m.p50:.1f} | {m.p95:.1f} | {run.ratio(m):.3f} "
                f"| {_times(run.times_pretix(m))} | {m.body_bytes / 1024:.1f} | {_mark(v['ratio'])} "
                f"| {_mark(v['p95'])} | {_mark(v['pretix'])} |"
            )
        lines += [
            "",
            "#### anonymous, page cache off",
            "",
            f"| page | path | req/s | p50 ms | p95 ms | ratio | size KiB | ratio ≥ {FLOOR_RATIO_TARGET:g} |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for page, m in run.of(ANONYMOUS):
            lines.append(
                f"| {page.name} | `{page.path}` | {m.rps:.1f} | {m.p50:.1f} | {m.p95:.1f} | {run.ratio(m):.3f} "
                f"| {m.body_bytes / 1024:.1f} | {_mark(run.verdicts(page, m)['ratio'])} |"
            )
        lines += ["", "#### pretix comparison", ""]
        if pretix is None:
            lines.append("pretix was not measured in this run (`--no-pretix`).")
        else:
            signed = [m for _, m in run.of(SIGNED_IN)]
            slowest = min(signed, key=lambda m: m.rps) if signed else None
            lines += [
                "| page | path | req/s | p50 ms | p95 ms | ratio | size KiB |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            for page, m in run.of(PRETIX):
                lines.append(
                    f"| {page.name} | `{page.path}` | {m.rps:.1f} | {m.p50:.1f} | {m.p95:.1f} | {run.ratio(m):.3f} "
                    f"| {m.body_bytes / 1024:.1f} |"
                )
            if slowest:
                lines += [
                    "",
                    f"Slowest signed-in page: {slowest.target.name}, {_times(run.times_pretix(slowest))} pretix "
                    f"(target ≥ {PRETIX_TARGET:.0f}×).",
                ]
        lines += [
            "",
            "#### worker memory",
            "",
            f"Resident memory (VmRSS) of each gunicorn worker after the run; target ≤ {MEMORY_TARGET_MIB:.0f} MiB.",
            "",
            "| worker | MiB | verdict |",
            "| --- | ---: | --- |",
        ]
        for number, mib in enumerate(run.memory_mib.values(), start=1):
            lines.append(f"| {number} | {mib:.1f} | {_mark(mib <= MEMORY_TARGET_MIB)} |")
        if run.notes:
            lines += ["", *(f"- {note}" for note in run.notes)]
    results.write_section("signed_in", "\n".join(lines), RESULTS)
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = load.parser_with_runs(__doc__)
    parser.add_argument(
        "--pages",
        default="",
        help="only the pages whose name or path contains one of these comma-separated words, e.g. 'member,attendance'",
    )
    parser.add_argument(
        "--pretix",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure pretix's event page in the same run (bench/pretix.py; default on)",
    )
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    options = parser.parse_args(argv)

    started = time.perf_counter()
    scales = [options.scale] + ([options.compare_scale] if options.compare_scale > 0 else [])
    pages = 16 + (1 if options.pretix else 0)
    per_scale = ((pages + 1) * options.rounds + 1) * (options.warmup + options.duration + 0.5)
    print(
        f"Benchmark: scales {', '.join(f'{s:g}' for s in scales)}; {options.clients} clients; {options.rounds} rounds "
        f"of {options.warmup:g}s warm-up + {options.duration:g}s per page; up to ~{len(scales) * per_scale / 60:.1f} "
        "min of load plus the set-up (scale 10: about 4 min"
        + (", pretix: more the first time" if options.pretix else "")
        + ")",
        flush=True,
    )
    runs = []
    for scale in scales:
        run = run_scale(scale, options)
        print_scale(run)
        runs.append(run)
    if not options.no_write:
        write_results(runs, options, argv)
    passed = all(run.passed() for run in runs)
    print(f"Total time: {(time.perf_counter() - started) / 60:.1f} min; {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())

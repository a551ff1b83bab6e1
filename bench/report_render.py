"""Benchmark of progress report rendering: end to end against WeasyPrint alone.

    .venv/bin/python bench/report_render.py              # both cases, writes its section of bench/RESULTS.md
    .venv/bin/python bench/report_render.py --no-write   # print only

On a throwaway PostgreSQL (tests/servers.py via bench/stack.py): ``migrate``, then two
projects built with bulk inserts:

- *large*: 40 deliverables in 6 work packages, 20 partners in 8 countries, 6 Communities
  of Practice, 60 meetings and 1,500 registrations (about 10 pages);
- *ten*: 12 deliverables, 6 partners, 3 communities, 20 meetings (about 10 pages);
- *annex*: 2,800 meetings with 11,200 registrations, whose annex runs to about 100 pages.

Both carry the period's reporting plan (issue 13): narratives for the six work packages,
twelve indicators (manual and computed by the portal), four budget lines per partner in
two currencies with spending over two periods, and the EU emblem on the cover.

Each case is measured in a fresh Python process (so its peak memory, ``ru_maxrss``, is
the report's and nothing else's). After one warm-up render (fonts, templates), the
process alternates ``report_request`` end to end (eager task: content queries, template,
WeasyPrint, atomic storage, status) with WeasyPrint alone on the very HTML the service
laid out, a few rounds each, and keeps the best time of each (other load on a shared
machine only ever adds time). *Ratio* = end to end ÷ WeasyPrint alone.

Targets (2 cores), from issue 13: a 10-page report (*ten*) ≤ 2 s, ≤ 300 MiB, ratio ≤ 1.2;
100 pages (*annex*) ≤ 10 s and ≤ 300 MiB. *large* (about 18 pages) is held to the 10-page
targets as well, as a harder case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "RESULTS.md"
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
TARGETS = {
    "ten": {"seconds": 2.0, "mib": 300.0, "ratio": 1.2},
    "large": {"seconds": 2.0, "mib": 300.0, "ratio": 1.2},
    "annex": {"seconds": 10.0, "mib": 300.0},
}
# Short renders are the noisiest on a shared machine, so they get more rounds.
ROUNDS = {"ten": 7, "large": 7, "annex": 3}
CASES = {
    # slug: (deliverables, meetings, registrations per meeting, communities, partners)
    # The "10-page report": a consortium of six with a year's activity.
    "ten": {"deliverables": 12, "meetings": 20, "per_meeting": 25, "communities": 3, "partners": 6},
    "large": {"deliverables": 40, "meetings": 60, "per_meeting": 25, "communities": 6, "partners": 20},
    "annex": {"deliverables": 40, "meetings": 2800, "per_meeting": 4, "communities": 6, "partners": 20},
}
COUNTRIES = ["DE", "IT", "ES", "FR", "BE", "NL", "AT", "GR"]
SECTORS = ["public", "private", "civil_society", "arts", "academic", "migrant_org", "other"]


# --- Child process: build, measure ----------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


NARRATIVE = (
    "The partners met in the local Community of Practice and worked through the needs analysis with "
    "job centres, migrant organisations and employers; the minutes and the shared action plan are on "
    "the portal. "
)


def _build_plan(project, work_packages, organisations) -> dict[str, int]:
    """The reporting plan of the period: narratives per work package, indicators, budget lines and spends."""
    from decimal import Decimal

    from projects.plan_models import BudgetLine, Indicator
    from reports.models import BudgetSpend, IndicatorValue, ReportingPeriod, WorkPackageNarrative

    previous = ReportingPeriod.objects.create(
        project=project, period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 12, 31), status="acknowledged"
    )
    period = ReportingPeriod.objects.create(
        project=project,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        next_period_plan=NARRATIVE * 3,
        next_period_plan_de=NARRATIVE * 3,
    )
    WorkPackageNarrative.objects.bulk_create(
        WorkPackageNarrative(
            period=period,
            work_package=wp,
            activities=NARRATIVE * 3,
            results=NARRATIVE * 2,
            deviations=NARRATIVE if wp.number % 2 else "",
            risks=NARRATIVE,
            activities_de=NARRATIVE * 3,
            results_de=NARRATIVE * 2,
            risks_de=NARRATIVE,
        )
        for wp in work_packages
    )
    sources = ["manual", "meetings_held", "participants", "participants_by_sector", "deliverables_delivered"]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            project=project,
            work_package=work_packages[n % len(work_packages)],
            code=f"O{n + 1}",
            name=f"Output indicator {n + 1}: people and organisations reached",
            unit="people",
            target=Decimal(100 * (n + 1)),
            source=sources[n % len(sources)] if n < 5 else "manual",
            illustrative_note="Target illustrative." if n == 0 else "",
        )
        for n in range(12)
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(period=p, indicator=i, value=Decimal(7 + n))
        for n, i in enumerate(indicators)
        if i.source == "manual"
        for p in (previous, period)
    )
    categories = ["staff", "travel", "other", "indirect"]
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            organisation=o,
            category=category,
            planned=Decimal(25000 + 1000 * n),
            currency="CHF" if n == 5 else "EUR",
        )
        for n, o in enumerate(organisations)
        for category in categories
    )
    BudgetSpend.objects.bulk_create(
        BudgetSpend(period=p, budget_line=line, amount=Decimal(3000 + n) + Decimal("0.45"))
        for n, line in enumerate(lines)
        for p in (previous, period)
    )
    return {"indicators": len(indicators), "budget_lines": len(lines), "narratives": len(work_packages)}


def build(slug: str, spec: dict[str, int]) -> dict[str, int]:
    """One project of the given size, written with bulk inserts; returns row counts."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from events.models import Community, Meeting, Membership, Registration
    from partners.models import Organisation
    from projects.models import Deliverable, FundingProgramme, Participation, Project, ProjectRole, WorkPackage

    def aware(day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    with transaction.atomic():
        funder = Organisation.objects.create(name=f"Funder {slug}", kind="funder", country="BE", city="Brussels")
        programme = FundingProgramme.objects.create(
            name="Asylum, Migration and Integration Fund", short_name=f"AMIF-{slug}", funder=funder, eu_funded=True
        )
        project = Project.objects.create(
            acronym=slug.upper(),
            slug=slug,
            title=f"Benchmark project {slug}",
            programme=programme,
            grant_agreement="101999999",
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2027, 12, 31),
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Partner organisation {slug} {n}", kind="ngo", country=COUNTRIES[n % 8], city=f"City {n}"
            )
            for n in range(spec["partners"])
        )
        Participation.objects.bulk_create(
            Participation(
                project=project,
                organisation=o,
                role="coordinator" if n == 0 else ("partner" if n < 12 else "associated"),
            )
            for n, o in enumerate(organisations)
        )
        wps = WorkPackage.objects.bulk_create(
            WorkPackage(
                project=project,
                number=n + 1,
                title=f"Work package {n + 1}",
                start_date=project.start_date,
                end_date=project.end_date,
            )
            for n in range(6)
        )
        deliverables = []
        for n in range(spec["deliverables"]):
            due = project.start_date + dt.timedelta(days=25 * n + 20)
            submitted = due <= dt.date(2025, 9, 30) and n % 5 != 0
            deliverables.append(
                Deliverable(
                    project=project,
                    work_package=wps[n % 6],
                    code=f"D{n % 6 + 1}.{n // 6 + 1}",
                    title=f"Deliverable number {n + 1} on local integration services",
                    due_date=due,
                    status="approved" if submitted else ("in_progress" if n % 3 else "planned"),
                    submitted_on=due + dt.timedelta(days=n % 4) if submitted else None,
                )
            )
        Deliverable.objects.bulk_create(deliverables)
        communities = Community.objects.bulk_create(
            Community(
                project=project,
                name=f"Community {slug} {n}",
                slug=f"{slug}-cop-{n}",
                territory=f"Territory {n}",
                country=COUNTRIES[n % 8],
            )
            for n in range(spec["communities"])
        )
        User = get_user_model()
        users = User.objects.bulk_create(
            User(email=f"{slug}-person-{n}@example.org", password="!")
            for n in range(max(spec["per_meeting"] * 12, 300))
        )
        coordinator = User.objects.create(email=f"{slug}-coordinator@example.org", password="!")
        ProjectRole.objects.create(user=coordinator, project=project, role="coordinator")
        Membership.objects.bulk_create(
            Membership(
                community=communities[n % len(communities)],
                user=u,
                status="active",
                joined_at=aware(dt.date(2025, 1, 1) + dt.timedelta(days=n % 500)),
            )
            for n, u in enumerate(users)
        )
        span = (project.end_date - project.start_date).days
        meetings = Meeting.objects.bulk_create(
            Meeting(
                project=project,
                community=communities[n % len(communities)] if n % 4 else None,
                kind="cop_meeting",
                title=f"Meeting {n + 1}: access to the labour market",
                starts_at=aware(project.start_date + dt.timedelta(days=span * n // spec["meetings"])),
                ends_at=aware(project.start_date + dt.timedelta(days=span * n // spec["meetings"]), 13),
                city=f"City {n % 20}",
                country=COUNTRIES[n % 8],
                capacity=40,
                status="cancelled" if n % 29 == 7 else "scheduled",
            )
            for n in range(spec["meetings"])
        )
        # Planned from the start: the report's annex lists the meetings known at the period's end.
        Meeting.objects.filter(project=project).update(created_at=aware(project.start_date))
        now = timezone.now()
        registrations = []
        for m_index, meeting in enumerate(meetings):
            for r in range(spec["per_meeting"]):
                user = users[(m_index * spec["per_meeting"] + r) % len(users)]
                held = meeting.starts_at < now
                registrations.append(
                    Registration(
                        meeting=meeting,
                        user=user,
                        sector=SECTORS[(m_index + r) % 7],
                        status="waitlisted" if r % 13 == 12 else "confirmed",
                        created_at=meeting.starts_at - dt.timedelta(days=7),
                        queued_at=meeting.starts_at - dt.timedelta(days=7),
                        checked_in_at=meeting.starts_at if held and r % 13 != 12 and r % 4 else None,
                    )
                )
        Registration.objects.bulk_create(registrations, batch_size=2000)
        plan_rows = _build_plan(project, wps, organisations)
    return {
        **plan_rows,
        "deliverables": len(deliverables),
        "meetings": len(meetings),
        "registrations": len(registrations),
        "partners": len(organisations),
        "communities": len(communities),
    }


def measure(slug: str, rounds: int) -> dict[str, object]:
    """Warm up, then alternate end-to-end requests and WeasyPrint alone; best of each."""
    import resource

    from django.utils import timezone

    from projects.models import Project, ProjectRole
    from projects.pdf_rendering import render_pdf
    from reports.models import ProgressReport
    from reports.services import rendering, requesting

    project = Project.objects.get(slug=slug)
    coordinator = ProjectRole.objects.select_related("user").get(project=project, role="coordinator").user
    render_pdf("<!doctype html><html lang='en'><body><p>warm-up</p></body></html>")

    def end_to_end() -> tuple[float, float, ProgressReport]:
        started, cpu = time.perf_counter(), time.process_time()
        report = requesting.report_request(
            project=project, actor=coordinator, period_start=PERIOD[0], period_end=PERIOD[1], language="en"
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        report.refresh_from_db()
        if report.status != ProgressReport.Status.DONE:
            raise SystemExit(f"report {report.pk} ended {report.status}: {report.error_message}")
        return elapsed, cpu, report

    end_to_end()  # warm-up of templates and queries
    e2e_times, e2e_cpu, alone_times, alone_cpu, stage = [], [], [], [], {}
    report = None
    for _ in range(rounds):
        elapsed, cpu, report = end_to_end()
        e2e_times.append(elapsed)
        e2e_cpu.append(cpu)
        # The same final HTML the service laid out (same content; only the generation time differs).
        started = time.perf_counter()
        html = rendering.report_html(report=report, generated_at=timezone.now())
        stage["content and template"] = min(stage.get("content and template", 1e9), time.perf_counter() - started)
        started, cpu = time.perf_counter(), time.process_time()
        rendered = render_pdf(html)
        alone_times.append(time.perf_counter() - started)
        alone_cpu.append(time.process_time() - cpu)
    assert report is not None
    if os.environ.get("BENCH_DUMP_HTML"):
        # For profiling the layout on its own (see bench/README.md).
        Path(os.environ["BENCH_DUMP_HTML"], f"report-{slug}.html").write_text(html, encoding="utf-8")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "end_to_end": min(e2e_times),
        "end_to_end_all": e2e_times,
        "end_to_end_cpu": min(e2e_cpu),
        "weasyprint_alone": min(alone_times),
        "weasyprint_alone_cpu": min(alone_cpu),
        "load_average": os.getloadavg()[0],
        "weasyprint_alone_all": alone_times,
        "content_and_template": stage["content and template"],
        "pages": report.page_count,
        "pages_alone": rendered.page_count,
        "file_kib": round(report.file_size / 1024, 1),
        "html_kib": round(len(html.encode()) / 1024, 1),
        "peak_mib": round(peak_kib / 1024, 1),
    }


def child(args: argparse.Namespace) -> None:
    _setup_django()
    if args.child == "build":
        print(json.dumps({slug: build(slug, CASES[slug]) for slug in CASES}))
    else:
        print(json.dumps(measure(args.case, args.rounds)))


# --- Parent: servers, children, results -----------------------------------------------


def _run_child(site, *extra: str) -> dict:
    env = site.env(production=False)
    # Eager tasks in-process: the benchmark measures the render, not the queue.
    env.update(CELERY_TASK_ALWAYS_EAGER="true", DJANGO_LOG_LEVEL="WARNING")
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, __file__, *extra], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"child {' '.join(extra)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def markdown(
    results: dict, rows: dict, build_seconds: float, machine: dict, software: dict, rounds: dict[str, int]
) -> str:
    t = TARGETS
    lines = [
        "## Report rendering: `bench/report_render.py`",
        "",
        f"Run on {dt.date.today().isoformat()} with `python bench/report_render.py` "
        "(best of "
        + ", ".join(f"{n} rounds ({case})" for case, n in rounds.items())
        + " after a warm-up, each case in a fresh process).",
        "",
        "Machine: "
        + "; ".join(f"{k} {v}" for k, v in machine.items())
        + ". Software: "
        + "; ".join(f"{k} {v}" for k, v in software.items())
        + ".",
        "",
        f"Data (bulk inserts, {build_seconds:.1f} s): *ten* {rows['ten']['deliverables']} deliverables, "
        f"{rows['ten']['meetings']} meetings, {rows['ten']['partners']} partners; *large* "
        f"{rows['large']['deliverables']} deliverables, "
        f"{rows['large']['meetings']} meetings, {rows['large']['registrations']:,} registrations, "
        f"{rows['large']['partners']} partners, {rows['large']['communities']} communities; *annex* "
        f"{rows['annex']['meetings']:,} meetings, {rows['annex']['registrations']:,} registrations. "
        f"Both with the period's reporting plan: {rows['large']['narratives']} work package narratives, "
        f"{rows['large']['indicators']} indicators (manual and computed), {rows['large']['budget_lines']} budget "
        "lines in two currencies with spending over two periods; EU-funded (emblem on the cover). "
        f"Report period {PERIOD[0]} – {PERIOD[1]}, English.",
        "",
        "End to end = `reports.services.requesting.report_request` with an eager task: content queries on PostgreSQL, "
        "template, WeasyPrint, atomic write with fsync, status done. WeasyPrint alone = `render_pdf` on the "
        "same final HTML in the same process. Peak memory = the measuring process's `ru_maxrss`.",
        "",
        "The machine is shared: *CPU s* is the measuring process's own CPU time (`time.process_time`), "
        "which other load on the machine does not inflate the way it inflates the wall-clock time; "
        "the load average at the end of each case is given. The targets are checked against the wall-clock time.",
        "",
        "| case | pages | end to end s (CPU s) | WeasyPrint alone s (CPU s) | content + template s | ratio "
        "| peak MiB | PDF KiB | load avg | time | memory | ratio target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    names = {"ten": "ten pages", "large": "large", "annex": "100-page annex"}
    for key, r in results.items():
        name = names.get(key, key)
        ratio = r["end_to_end"] / r["weasyprint_alone"]
        target = t[key]
        lines.append(
            f"| {name} | {r['pages']} | {r['end_to_end']:.2f} ({r['end_to_end_cpu']:.2f}) | "
            f"{r['weasyprint_alone']:.2f} ({r['weasyprint_alone_cpu']:.2f}) | "
            f"{r['content_and_template']:.2f} | {ratio:.2f} | {r['peak_mib']:.0f} | {r['file_kib']:.0f} | "
            f"{r['load_average']:.1f} | "
            f"{_verdict(r['end_to_end'] <= target['seconds'])} (≤ {target['seconds']:g} s) | "
            + (f"{_verdict(r['peak_mib'] <= target['mib'])} (≤ {target['mib']:g} MiB)" if "mib" in target else "–")
            + " | "
            + (f"{_verdict(ratio <= target['ratio'])} (≤ {target['ratio']:g})" if "ratio" in target else "–")
            + " |"
        )
    lines.append("")
    lines.append(
        "All rounds (s): "
        + "; ".join(
            f"{key} end to end {', '.join(f'{x:.2f}' for x in r['end_to_end_all'])}, alone "
            f"{', '.join(f'{x:.2f}' for x in r['weasyprint_alone_all'])}"
            for key, r in results.items()
        )
        + "."
    )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=None, help=f"rounds per case (default: {ROUNDS}); the best of them counts"
    )
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--no-write", action="store_true", help="print only, do not append to bench/RESULTS.md")
    parser.add_argument("--child", choices=["build", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=list(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    from bench import machine, stack
    from bench import results as results_file

    services_ = stack.Services()
    services_.start()
    site = stack.Site(services_)
    try:
        print("report rendering benchmark", flush=True)
        site.manage("migrate", "--noinput")
        started = time.perf_counter()
        rows = _run_child(site, "--child", "build")
        build_seconds = time.perf_counter() - started
        print(f"  · data: {rows} ({build_seconds:.1f}s)", flush=True)
        site.analyze()
        results = {}
        for case in args.cases:
            rounds = args.rounds or ROUNDS[case]
            results[case] = _run_child(site, "--child", "measure", "--case", case, "--rounds", str(rounds))
            r = results[case]
            print(
                f"{case}: {r['pages']} pages, end to end {r['end_to_end']:.2f}s (CPU {r['end_to_end_cpu']:.2f}s), "
                f"WeasyPrint alone {r['weasyprint_alone']:.2f}s (CPU {r['weasyprint_alone_cpu']:.2f}s), "
                f"ratio {r['end_to_end'] / r['weasyprint_alone']:.2f}, "
                f"content+template {r['content_and_template']:.2f}s, peak {r['peak_mib']:.0f} MiB, "
                f"PDF {r['file_kib']:.0f} KiB, HTML {r['html_kib']:.0f} KiB",
                flush=True,
            )
        described = machine.describe_software(services_.postgres.version, services_.redis.version)
        software = {
            "Python": described["Python"],
            "Django": described["Django"],
            "WeasyPrint": machine._version("weasyprint"),
            "pydyf": machine._version("pydyf"),
            "PostgreSQL": described["PostgreSQL"],
        }
        if set(results) != set(CASES):
            return  # a partial run is for profiling; RESULTS.md gets complete runs only
        text = markdown(
            results,
            rows,
            build_seconds,
            machine.describe_machine(),
            software,
            {case: args.rounds or ROUNDS[case] for case in CASES},
        )
        print(text)
        if not args.no_write:
            # Its own marked section: a re-run replaces it, the other benchmarks' sections stay.
            results_file.write_section("report_render", text, RESULTS)
            print(f"wrote {RESULTS.relative_to(ROOT)}")
    finally:
        site.stop()
        services_.stop()


if __name__ == "__main__":
    main()

"""Benchmark of the public pages and the coordinator's workspace, against a floor.

    .venv/bin/python bench/pages.py --scale 1            # then again at --compare-scale 10
    .venv/bin/python bench/pages.py --scale 1 --compare-scale 0   # one scale only

For each scale, on a fresh throwaway PostgreSQL and Redis (tests/servers.py): migrate,
``make_dataset --scale N``, ``load_demo --with-accounts``, VACUUM ANALYZE, then gunicorn
with the production settings. Every page is measured with the same number of concurrent
keep-alive clients for a fixed time; so is the floor, /healthz/, a view that does nothing
behind the same middleware stack, before and after the pages. A page's throughput as a
share of the floor's is what stays comparable across noisy shared machines.

Targets: p95 ≤ 100 ms and throughput ≥ 0.5 × floor for the anonymous pages (2 cores);
the signed-in pages are reported without those two; every page's time at the compared
scale at most 1.2 × its time at the first scale. The figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, machine, results, stack  # noqa: E402

P95_TARGET_MS = 100.0
FLOOR_RATIO_TARGET = 0.5
SCALE_RATIO_TARGET = 1.2
COORDINATOR = "coordinator@example.org"  # coordinator of ECCIPA in the demo data
RESULTS = ROOT / "bench" / "RESULTS.md"


@dataclass
class ScaleRun:
    scale: float
    build: dict[str, float]
    rows: dict[str, int]
    floors: list[load.Measurement]  # every measurement of the floor, one per round and one at the end
    pages: list[load.Measurement]  # per page, the best of the rounds
    software: dict[str, str]
    server: str
    uncached: list[load.Measurement] = field(default_factory=list)
    uncached_floor: load.Measurement | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def floor(self) -> load.Measurement:
        return best(self.floors)

    @property
    def floor_rps(self) -> float:
        return self.floor.rps

    @property
    def floor_spread(self) -> str:
        return ", ".join(f"{m.rps:.0f}" for m in self.floors)

    def ratio(self, page: load.Measurement) -> float:
        return page.rps / self.floor_rps if self.floor_rps else 0.0

    def verdicts(self, page: load.Measurement) -> dict[str, bool | None]:
        if not page.target.anonymous:
            return {"p95": None, "ratio": None}  # the targets are for the anonymous pages
        return {"p95": page.p95 <= P95_TARGET_MS, "ratio": self.ratio(page) >= FLOOR_RATIO_TARGET}


def best(measurements: list[load.Measurement]) -> load.Measurement:
    """The round with the highest throughput: other load on a shared machine only ever lowers it."""
    return max(measurements, key=lambda m: m.rps)


def _one(sql: str, services: stack.Services, *params: object) -> object:
    import psycopg

    with psycopg.connect(services.dsn()) as conn:
        row = conn.execute(sql, params).fetchone()
    if row is None:
        raise SystemExit(f"No row for the benchmark's page: {sql} {params}")
    return row[0]


def targets(services: stack.Services, session: str) -> list[load.Target]:
    """The measured pages. Detail pages show demo records, the same at every scale."""
    organisation = _one(
        "SELECT id FROM partners_organisation WHERE name = %s", services, "Pro Arbeit Kreis Offenbach AöR"
    )
    return [
        load.Target("home", "/"),
        load.Target("catalogue ?country=IT&status=running", "/projects/?country=IT&status=running"),
        load.Target("project page (ECCIPA)", "/projects/eccipa/"),
        load.Target("organisation page (Pro Arbeit)", f"/organisations/{organisation}/"),
        load.Target("meeting calendar", "/meetings/"),
        load.Target("workspace: ECCIPA (coordinator)", "/workspace/projects/eccipa/", anonymous=False, cookie=session),
        load.Target("dashboard (coordinator)", "/dashboard/", anonymous=False, cookie=session),
    ]


def check(server: stack.Gunicorn, pages: list[load.Target]) -> None:
    """Every page answers 200 with HTML before anything is measured; static files come from whitenoise."""
    for target in pages:
        status, body, headers = load.fetch(stack.HOST, server.port, target.path, target.cookie)
        if status != 200 or b"<html" not in body:
            raise SystemExit(f"{target.name} ({target.path}) answered {status}; not measuring a broken page.")
        if not target.anonymous and b"Log out" not in body:
            raise SystemExit(f"{target.name}: the session cookie did not log the coordinator in.")
    status, body, _ = load.fetch(stack.HOST, server.port, "/")
    css = body.split(b'rel="stylesheet" href="', 1)[1].split(b'"', 1)[0].decode()
    status, _, headers = load.fetch(stack.HOST, server.port, css)
    if status != 200 or "max-age" not in headers.get("cache-control", ""):
        raise SystemExit(f"The stylesheet {css} is not served by whitenoise with a cache lifetime ({status}).")


def _row_counts(services: stack.Services) -> dict[str, int]:
    import psycopg

    tables = {
        "projects": "projects_project",
        "organisations": "partners_organisation",
        "communities": "events_community",
        "meetings": "events_meeting",
        "registrations": "events_registration",
        "users": "portal_user",
    }
    with psycopg.connect(services.dsn()) as conn:
        return {label: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for label, table in tables.items()}


def run_scale(scale: float, options: argparse.Namespace) -> ScaleRun:
    print(f"\n== scale {scale:g} ==", flush=True)
    services = stack.Services()
    site = None
    server = None
    try:
        services.start()
        site = stack.Site(services)
        build = site.build(scale)
        rows = _row_counts(services)
        print("  · rows: " + ", ".join(f"{count:,} {label}" for label, count in rows.items()), flush=True)
        name, value = site.session_cookie(COORDINATOR)
        pages = targets(services, f"{name}={value}")
        server = stack.Gunicorn(site, workers=options.workers, threads=options.threads)
        server.start()
        check(server, pages)
        print(
            f"  · {server.describe()}; {options.clients} clients, {options.warmup:g}s warm-up + "
            f"{options.duration:g}s measured per page, {options.rounds} rounds",
            flush=True,
        )

        def run(target: load.Target, duration: float = options.duration) -> load.Measurement:
            return load.run(target, stack.HOST, server.port, options, duration)

        floor = load.Target("floor: /healthz/", "/healthz/")
        floors: list[load.Measurement] = []
        rounds: list[list[load.Measurement]] = []
        for number in range(1, options.rounds + 1):
            print(f"  · round {number} of {options.rounds}", flush=True)
            floors.append(run(floor))
            rounds.append([run(target) for target in pages])
        floors.append(run(floor))
        measured = [best(list(per_page)) for per_page in zip(*rounds, strict=False)]
        assert services.postgres and services.redis
        software = machine.describe_software(services.postgres.version, services.redis.version)
        result = ScaleRun(scale, build, rows, floors, measured, software, server.describe())
        if options.uncached_duration > 0:
            # What a cache miss costs, and what signed-in visitors (never served from the cache) wait for.
            server.stop()
            server = stack.Gunicorn(
                site, workers=options.workers, threads=options.threads, extra_env={"PORTAL_PAGE_CACHE_SECONDS": "0"}
            )
            server.start()
            print(
                f"  · page cache off (PORTAL_PAGE_CACHE_SECONDS=0), {options.uncached_duration:g}s per page:",
                flush=True,
            )
            result.uncached_floor = run(floor, options.uncached_duration)
            result.uncached = [run(t, options.uncached_duration) for t in pages if t.anonymous]
        everything = [*floors, *(m for per_round in rounds for m in per_round), *result.uncached]
        failed = sorted({m.target.name for m in everything if m.errors})
        if failed:
            result.notes.append(f"Errors while measuring: {', '.join(failed)} (see the console output).")
        return result
    finally:
        if server:
            server.stop()
        services.stop()
        if site:
            site.stop()


def _mark(verdict: bool | None) -> str:
    return "–" if verdict is None else ("PASS" if verdict else "MISS")


def print_scale(run: ScaleRun) -> None:
    print(
        f"\n-- scale {run.scale:g}: floor {run.floor_rps:.1f} req/s (all floor runs: {run.floor_spread}); "
        "each page: the best of its rounds --"
    )
    print(
        f"  {'page':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>6}  p95≤{P95_TARGET_MS:.0f}ms  "
        f"ratio≥{FLOOR_RATIO_TARGET}"
    )
    for page in run.pages:
        verdicts = run.verdicts(page)
        print(
            f"  {page.target.name:<38} {page.rps:8.1f} {page.p50:8.1f} {page.p95:8.1f} {run.ratio(page):6.2f}  "
            f"{_mark(verdicts['p95']):>9}  {_mark(verdicts['ratio']):>9}"
        )
    if run.uncached and run.uncached_floor:
        print(f"  page cache off (floor {run.uncached_floor.rps:.1f} req/s):")
        for page in run.uncached:
            print(
                f"  {page.target.name:<38} {page.rps:8.1f} {page.p50:8.1f} {page.p95:8.1f} "
                f"{page.rps / run.uncached_floor.rps:6.2f}"
            )


@dataclass
class ScaleComparison:
    name: str
    raw: float  # seconds per request (1 / throughput) at the larger scale ÷ at the first
    adjusted: float  # the same with each run's throughput taken as a share of its own floor
    p50: float

    @property
    def verdict(self) -> bool:
        return self.adjusted <= SCALE_RATIO_TARGET


def compare(first: ScaleRun, second: ScaleRun) -> list[ScaleComparison]:
    rows = []
    for a, b in zip(first.pages, second.pages, strict=False):
        rows.append(
            ScaleComparison(
                a.target.name,
                raw=a.rps / b.rps if b.rps else float("inf"),
                adjusted=first.ratio(a) / second.ratio(b) if second.ratio(b) else float("inf"),
                p50=b.p50 / a.p50 if a.p50 else float("inf"),
            )
        )
    return rows


def print_comparison(first: ScaleRun, second: ScaleRun, rows: list[ScaleComparison]) -> None:
    print(f"\n-- page time at scale {second.scale:g} ÷ scale {first.scale:g} (target ≤ {SCALE_RATIO_TARGET}×) --")
    print(f"  {'page':<38} {'time':>7} {'floor-adj.':>10} {'p50':>7}  verdict")
    for row in rows:
        print(f"  {row.name:<38} {row.raw:6.2f}× {row.adjusted:9.2f}× {row.p50:6.2f}×  {_mark(row.verdict)}")


def write_results(runs: list[ScaleRun], comparison: list[ScaleComparison] | None, options: argparse.Namespace) -> None:
    first = runs[0]
    lines = [
        "## Pages: `bench/pages.py`",
        "",
        f"Run on {dt.date.today().isoformat()} with `python bench/pages.py --scale {first.scale:g}"
        + (f" --compare-scale {runs[1].scale:g}`" if len(runs) > 1 else " --compare-scale 0`")
        + ". Re-running the script replaces this section.",
        "",
        "### Machine and software",
        "",
        "| | |",
        "| --- | --- |",
    ]
    for key, value in {**machine.describe_machine(), **first.software}.items():
        lines.append(f"| {key} | {value} |")
    lines += [
        "",
        "### Method",
        "",
        "- For each scale, a fresh throwaway PostgreSQL and Redis (the machine's binaries, via `tests/servers.py`; "
        "PostgreSQL with `fsync=off`, otherwise default settings): `migrate`, `make_dataset --scale N`, "
        "`load_demo --with-accounts`, `collectstatic`, then `VACUUM (ANALYZE)` so the planner has statistics "
        "as on a running site.",
        f"- Server: {first.server}; the pages use the Redis cache; the benchmark's clients run on the same machine.",
        f"- Load: {options.clients} concurrent keep-alive HTTP/1.1 clients (stdlib `http.client`, "
        f"{options.client_processes} processes), each sending its next request when the previous answer is read; "
        f"{options.warmup:g} s warm-up, then {options.duration:g} s measured per page, in {options.rounds} rounds "
        "over all pages; each page's figures are those of its best round (other load on a shared machine only "
        "lowers throughput), the floor likewise. Latency is the time from "
        "sending a request to reading the whole answer; p50/p95 by nearest rank.",
        '- Floor: `/healthz/`, a view that returns "ok" through the same middleware stack, measured at the '
        "start of each round and at the end. *Ratio* = page throughput ÷ floor throughput.",
        "- The coordinator's session is made in-process with Django's login (`Client.force_login`) and sent as a "
        "cookie; no login form is posted, so django-axes sees no logins.",
        "- Detail pages show demo records (ECCIPA, Pro Arbeit Kreis Offenbach AöR), the same at every scale, so "
        "the comparison between scales measures the larger database, not a different page.",
        f"- Targets: p95 ≤ {P95_TARGET_MS:.0f} ms and ratio ≥ {FLOOR_RATIO_TARGET} for the anonymous pages "
        "(the signed-in pages are reported, without these targets); every page's time at the larger scale "
        f"≤ {SCALE_RATIO_TARGET}× its time at the first (page time = 1 ÷ throughput, adjusted by each run's own "
        "floor because the two runs see different machine noise).",
        "- Anonymous visitors get public pages from the page cache (`portal/page_cache.py`, "
        "`PORTAL_PAGE_CACHE_SECONDS`, 60 s in production), as deployed; a second pass with the cache off shows "
        "what a miss, or a signed-in visitor, costs.",
        "- The machine is shared: other processes may run during the benchmark, which is why each page is "
        "compared with a floor measured in the same run.",
    ]
    for run in runs:
        lines += [
            "",
            f"### Scale {run.scale:g}",
            "",
            "Rows: "
            + ", ".join(f"{count:,} {label}" for label, count in run.rows.items())
            + ". "
            + "Set-up: "
            + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in run.build.items())
            + ".",
            "",
            f"Floor (`/healthz/`): {run.floor_rps:.1f} req/s, p50 {run.floor.p50:.1f} ms, p95 {run.floor.p95:.1f} ms "
            f"(every floor run, req/s: {run.floor_spread}). Each page: the best of its rounds.",
            "",
            f"| page | path | req/s | p50 ms | p95 ms | ratio | size KiB | p95 ≤ {P95_TARGET_MS:.0f} ms "
            f"| ratio ≥ {FLOOR_RATIO_TARGET} |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for page in run.pages:
            verdicts = run.verdicts(page)
            lines.append(
                f"| {page.target.name} | `{page.target.path}` | {page.rps:.1f} | {page.p50:.1f} | {page.p95:.1f} "
                f"| {run.ratio(page):.2f} | {page.body_bytes / 1024:.1f} | {_mark(verdicts['p95'])} "
                f"| {_mark(verdicts['ratio'])} |"
            )
        if run.uncached and run.uncached_floor:
            lines += [
                "",
                f"Page cache off (`PORTAL_PAGE_CACHE_SECONDS=0`, {options.uncached_duration:g} s per page): every "
                "request renders, as for a cache miss or a signed-in visitor. Floor in this run: "
                f"{run.uncached_floor.rps:.1f} req/s. No targets; for information.",
                "",
                "| page | req/s | p50 ms | p95 ms | ratio |",
                "| --- | ---: | ---: | ---: | ---: |",
            ]
            for page in run.uncached:
                lines.append(
                    f"| {page.target.name} | {page.rps:.1f} | {page.p50:.1f} | {page.p95:.1f} "
                    f"| {page.rps / run.uncached_floor.rps:.2f} |"
                )
        lines += [f"- {note}" for note in run.notes]
    if comparison:
        second = runs[1]
        lines += [
            "",
            f"### Scale {second.scale:g} against scale {first.scale:g}",
            "",
            f"| page | time ratio | floor-adjusted | p50 ratio | ≤ {SCALE_RATIO_TARGET}× (floor-adjusted) |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for row in comparison:
            lines.append(
                f"| {row.name} | {row.raw:.2f}× | {row.adjusted:.2f}× | {row.p50:.2f}× | {_mark(row.verdict)} |"
            )
    results.write_section("pages", "\n".join(lines), RESULTS)
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = load.parser_with_runs(__doc__)
    parser.add_argument(
        "--uncached-duration",
        type=float,
        default=4.0,
        help="seconds per anonymous page measured again with the page cache off (default 4; 0 skips)",
    )
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    options = parser.parse_args(argv)

    started = time.perf_counter()
    scales = [options.scale] + ([options.compare_scale] if options.compare_scale > 0 else [])
    per_scale = (8 * options.rounds + 1) * (options.warmup + options.duration + 0.5)
    if options.uncached_duration > 0:
        per_scale += 6 * (options.warmup + options.uncached_duration + 0.5)
    print(
        f"Benchmark: scales {', '.join(f'{s:g}' for s in scales)}; {options.clients} clients; "
        f"{options.rounds} rounds of {options.warmup:g}s warm-up + {options.duration:g}s per page "
        f"({options.uncached_duration:g}s with the "
        f"page cache off); ~{len(scales) * per_scale / 60:.1f} min of load plus the data set-up "
        "(scale 10: about 4 min)",
        flush=True,
    )
    runs = []
    for scale in scales:
        run = run_scale(scale, options)
        print_scale(run)
        runs.append(run)
    comparison = compare(runs[0], runs[1]) if len(runs) > 1 else None
    if comparison:
        print_comparison(runs[0], runs[1], comparison)
    if not options.no_write:
        write_results(runs, comparison, options)
    print(f"Total time: {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the public API's list endpoints (issue 17), cached and uncached, against the floor.

    .venv/bin/python bench/api.py                               # scale 1, then scale 10
    .venv/bin/python bench/api.py --scale 1 --compare-scale 0   # one scale, ~3 minutes

For each scale, on a fresh throwaway PostgreSQL and Redis (bench/stack.py): migrate,
``make_dataset --scale N``, ``load_demo --with-accounts``, VACUUM ANALYZE; then gunicorn with
the production settings, once per mode:

- **cached**: as deployed; anonymous answers come from the page cache (portal/api/caching.py);
- **uncached**: ``PORTAL_PAGE_CACHE_SECONDS=0``, fragments as in production (60 s): what a
  page-cache miss costs, and what a signed-in session's caller gets;
- **cold** (for information, ``--no-cold`` skips it): fragments off too; every request
  queries and serialises.

Anonymous callers, ``Accept: application/json``. Each request comes through the proxy from
another address (X-Forwarded-For, production's one trusted proxy), as from many callers each
under the per-address rate limit: the limit keeps counting every request (cached answers
too) at production's rate, and nobody is refused. Each mode measures its own floor,
``/healthz/``, at the start of each round and at the end.

Targets (the issue's): the project list and the meeting list (with ``?country=IT`` for the
projects) ≥ 0.5 × the floor's throughput cached and ≥ 0.10 × uncached. The exit code is 0
only if every target passes. The figures go to the ``api`` section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, machine, results, stack  # noqa: E402
from bench import pages as public_pages  # noqa: E402  (best round, row counts)
from bench.signed_in import _mark  # noqa: E402  (PASS / FAIL / –)

RESULTS = ROOT / "bench" / "RESULTS.md"
JSON = "application/json"
# The target each mode must reach, as a share of the floor's throughput; None: for information.
MODES: dict[str, tuple[dict[str, str], float | None]] = {
    "cached": ({}, 0.5),
    "uncached": ({"PORTAL_PAGE_CACHE_SECONDS": "0"}, 0.10),
    "cold": ({"PORTAL_PAGE_CACHE_SECONDS": "0", "PORTAL_FRAGMENT_CACHE_SECONDS": "0"}, None),
}


@dataclass(frozen=True)
class Endpoint:
    target: load.Target
    judged: bool  # a list the issue names; the detail is measured for information
    expect_results: bool = True  # a list with at least one row


def endpoints() -> list[Endpoint]:
    def api(name: str, path: str) -> load.Target:
        return load.Target(name, path, accept=JSON, many_callers=True)

    return [
        Endpoint(api("projects", "/api/v1/projects/"), judged=True),
        Endpoint(api("projects ?country=IT", "/api/v1/projects/?country=IT"), judged=True),
        Endpoint(api("meetings", "/api/v1/meetings/"), judged=True),
        Endpoint(api("project (ECCIPA)", "/api/v1/projects/eccipa/"), judged=False, expect_results=False),
    ]


FLOOR = load.Target("floor: /healthz/", "/healthz/", many_callers=True)


@dataclass
class ModeRun:
    mode: str
    floors: list[load.Measurement]
    measured: dict[Endpoint, load.Measurement]
    load_averages: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average before and after

    @property
    def target(self) -> float | None:
        return MODES[self.mode][1]

    @property
    def floor(self) -> load.Measurement:
        return public_pages.best(self.floors)

    def ratio(self, measurement: load.Measurement) -> float:
        return measurement.rps / self.floor.rps if self.floor.rps else 0.0

    def verdict(self, endpoint: Endpoint, measurement: load.Measurement) -> bool | None:
        if self.target is None or not endpoint.judged:
            return None
        return self.ratio(measurement) >= self.target and not measurement.errors


@dataclass
class ScaleRun:
    scale: float
    build: dict[str, float]
    rows: dict[str, int]
    modes: list[ModeRun]
    software: dict[str, str]
    server: str
    notes: list[str] = field(default_factory=list)

    def passed(self) -> bool:
        return all(run.verdict(e, m) is not False for run in self.modes for e, m in run.measured.items())


def check(server: stack.Gunicorn, mode: str) -> None:
    """Refuses to measure an endpoint that does not answer its JSON, or a cache that does not keep it."""
    for endpoint in endpoints():
        target = endpoint.target
        status, body, headers = load.fetch(stack.HOST, server.port, target.path, accept=JSON)
        if status != 200 or not headers.get("content-type", "").startswith(JSON):
            raise SystemExit(f"{target.path} answered {status} {headers.get('content-type')}; not measuring it.")
        data = json.loads(body)
        if endpoint.expect_results and not data.get("results"):
            raise SystemExit(f"{target.path} answered an empty list; not measuring it.")
        if "accept-language" not in headers.get("vary", "").lower():
            raise SystemExit(f"{target.path} does not vary by Accept-Language: {headers.get('vary')!r}.")
        again_status, again, again_headers = load.fetch(stack.HOST, server.port, target.path, accept=JSON)
        if again_status != 200 or (mode != "cold" and again != body):
            raise SystemExit(f"{target.path}: a second request answered {again_status}, another body.")
        if not endpoint.expect_results:  # a detail: its ETag, the same on a hit, and 304 for it
            etag = headers.get("etag")
            conditional = {"If-None-Match": etag or ""}
            status, _, _ = load.fetch(stack.HOST, server.port, target.path, accept=JSON, headers=conditional)
            if not etag or again_headers.get("etag") != etag or status != 304:
                raise SystemExit(f"{target.path}: ETag {etag!r}, then {again_headers.get('etag')!r}, then {status}.")


def run_mode(site: stack.Site, mode: str, options: argparse.Namespace) -> tuple[ModeRun, str]:
    extra_env, _ = MODES[mode]
    server = stack.Gunicorn(site, workers=options.workers, threads=options.threads, extra_env=extra_env)
    try:
        server.start()
        check(server, mode)
        settings = " ".join(f"{k}={v}" for k, v in extra_env.items()) or "production defaults"
        print(f"  · {mode} ({settings}):", flush=True)

        def run(target: load.Target) -> load.Measurement:
            return load.run(target, stack.HOST, server.port, options, width=28)

        load_before = os.getloadavg()[0]
        floors: list[load.Measurement] = []
        rounds: list[list[load.Measurement]] = []
        for _ in range(options.rounds):
            floors.append(run(FLOOR))
            rounds.append([run(endpoint.target) for endpoint in endpoints()])
        floors.append(run(FLOOR))
        per_endpoint = zip(*rounds, strict=True)
        measured = {e: public_pages.best(list(ms)) for e, ms in zip(endpoints(), per_endpoint, strict=True)}
        return ModeRun(mode, floors, measured, (load_before, os.getloadavg()[0])), server.describe()
    finally:
        server.stop()


def run_scale(scale: float, options: argparse.Namespace) -> ScaleRun:
    print(f"\n== scale {scale:g} ==", flush=True)
    services = stack.Services()
    site = None
    try:
        services.start()
        site = stack.Site(services)
        build = site.build(scale)
        rows = public_pages._row_counts(services)
        print("  · rows: " + ", ".join(f"{count:,} {label}" for label, count in rows.items()), flush=True)
        modes = [mode for mode in MODES if options.cold or mode != "cold"]
        runs, server = [], ""
        for mode in modes:
            run, server = run_mode(site, mode, options)
            runs.append(run)
        assert services.postgres and services.redis
        software = machine.describe_software(services.postgres.version, services.redis.version)
        result = ScaleRun(scale, build, rows, runs, software, server)
        everything = [(r.mode, m) for r in runs for m in [*r.floors, *r.measured.values()]]
        failed = sorted({f"{mode}: {m.target.name}" for mode, m in everything if m.errors})
        if failed:
            result.notes.append(f"Errors while measuring: {', '.join(failed)} (see the console output).")
        return result
    finally:
        services.stop()
        if site:
            site.stop()


def print_scale(run: ScaleRun) -> None:
    print(f"\n-- scale {run.scale:g}: each endpoint the best of its rounds, ratio to the same mode's floor --")
    print(f"  {'mode':<9} {'endpoint':<24} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6}  verdict")
    for mode in run.modes:
        target = f"≥ {mode.target:g}" if mode.target is not None else "info"
        print(f"  {mode.mode:<9} {'floor':<24} {mode.floor.rps:8.1f} {mode.floor.p50:7.1f} {mode.floor.p95:7.1f}")
        for endpoint, m in mode.measured.items():
            print(
                f"  {mode.mode:<9} {endpoint.target.name:<24} {m.rps:8.1f} {m.p50:7.1f} {m.p95:7.1f} "
                f"{mode.ratio(m):6.3f}  {_mark(mode.verdict(endpoint, m))} ({target})"
            )
    for note in run.notes:
        print(f"  ! {note}")


def write_results(runs: list[ScaleRun], options: argparse.Namespace, argv: list[str]) -> None:
    first = runs[0]
    command = shlex.join(["python", "bench/api.py", *argv])
    lines = results.heading("API: `bench/api.py`", command, first.software)
    lines += [
        "",
        "### Method",
        "",
        "- Servers and data as `bench/pages.py` (`bench/stack.py`): a fresh throwaway PostgreSQL and Redis per "
        "scale, `migrate`, `make_dataset --scale N`, `load_demo --with-accounts`, `VACUUM (ANALYZE)`.",
        f"- Server: {first.server}, restarted for each mode: *cached* (production defaults: anonymous answers "
        "from the page cache), *uncached* (`PORTAL_PAGE_CACHE_SECONDS=0`, fragments 60 s as in production: a "
        "page-cache miss, or a signed-in session's caller)"
        + (", *cold* (fragments off too: every request queries and serialises; for information)" * options.cold)
        + ".",
        f"- Load: {options.clients} concurrent keep-alive clients ({options.client_processes} processes, "
        f"`bench/load.py`), anonymous, `Accept: application/json`, {options.warmup:g} s warm-up then "
        f"{options.duration:g} s measured per endpoint, {options.rounds} rounds; each endpoint's figures are its "
        "best round's. Each request comes through the proxy from another address (`X-Forwarded-For`, "
        "production's one trusted proxy), as from many callers under the per-address limit: the rate limit "
        "counts every request, cached ones too, and refuses none.",
        "- Floor: `/healthz/`, measured by each mode's server at the start of each round and at the end; "
        "*ratio* = endpoint throughput ÷ that mode's best floor.",
        "- Targets (issue 17): the project and meeting lists ≥ 0.5 × the floor cached, ≥ 0.10 × uncached; the "
        "project detail is measured for information.",
        "- The machine is shared with other work (test suites of other sessions may run at the same time): "
        "the figures are indicative; the ratio to a floor measured in the same minute is what compares.",
    ]
    for run in runs:
        lines += [
            "",
            f"### Scale {run.scale:g}",
            "",
            "Rows: "
            + ", ".join(f"{count:,} {label}" for label, count in run.rows.items())
            + ". Set-up: "
            + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in run.build.items())
            + f". Overall: {'all targets PASS' if run.passed() else 'some targets FAIL'}.",
            "",
            "| mode | endpoint | path | req/s | p50 ms | p95 ms | ratio | size KiB | target | verdict |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for mode in run.modes:
            target = f"≥ {mode.target:g}" if mode.target is not None else "–"
            floor = mode.floor
            lines.append(
                f"| {mode.mode} | floor | `/healthz/` | {floor.rps:.1f} | {floor.p50:.1f} | {floor.p95:.1f} | 1 | "
                f"| | (floor runs, req/s: {', '.join(f'{m.rps:.0f}' for m in mode.floors)}) |"
            )
            for endpoint, m in mode.measured.items():
                lines.append(
                    f"| {mode.mode} | {endpoint.target.name} | `{endpoint.target.path}` | {m.rps:.1f} | {m.p50:.1f} "
                    f"| {m.p95:.1f} | {mode.ratio(m):.3f} | {m.body_bytes / 1024:.1f} "
                    f"| {target if endpoint.judged else '–'} | {_mark(mode.verdict(endpoint, m))} |"
                )
        lines.append("")
        lines += [
            f"- Load on the machine ({machine.usable_cores()} cores; 1-minute load average before and after) "
            f"while measuring {mode.mode}: {mode.load_averages[0]:.1f} → {mode.load_averages[1]:.1f}."
            for mode in run.modes
        ]
        lines += [f"- {note}" for note in run.notes]
    results.write_section("api", "\n".join(lines), RESULTS)
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = load.parser_with_runs(__doc__)
    parser.add_argument("--no-cold", dest="cold", action="store_false", help="skip the mode with fragments off")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    options = parser.parse_args(argv)

    started = time.perf_counter()
    scales = [options.scale] + ([options.compare_scale] if options.compare_scale > 0 else [])
    runs = []
    for scale in scales:
        run = run_scale(scale, options)
        print_scale(run)
        runs.append(run)
    if not options.no_write:
        write_results(runs, options, argv)
    passed = all(run.passed() for run in runs)
    print(f"Overall: {'PASS' if passed else 'FAIL'}. Total time: {(time.perf_counter() - started) / 60:.1f} min")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())

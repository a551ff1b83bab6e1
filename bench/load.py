"""A closed-loop HTTP load generator from the standard library.

``clients`` keep-alive connections, spread over a few processes (so the clients do not
queue behind one interpreter lock), each sending its next GET as soon as the previous
answer has been read completely, and sending back the cookies the site set, as a
browser would. Requests that start during the warm-up are not counted;
throughput counts the requests started and finished inside the measured window.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import statistics
import threading
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

from bench import machine


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    anonymous: bool = True
    cookie: str = ""
    accept: str = "text/html"
    # True: each request comes through the proxy (X-Forwarded-For, production's one trusted
    # proxy) from another of many addresses, as from many callers each under a per-address rate limit.
    many_callers: bool = False


@dataclass
class Measurement:
    target: Target
    requests: int
    seconds: float
    latencies: list[float]
    errors: dict[str, int]
    body_bytes: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """Latency in milliseconds at ``fraction`` (0.5, 0.95), nearest-rank."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
        return ordered[index] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")


def _headers(host: str, port: int, cookie: str, accept: str = "text/html") -> dict[str, str]:
    headers = {
        "Host": f"{host}:{port}",
        "Accept-Language": "en",
        "Accept": accept,
        "Connection": "keep-alive",
        "User-Agent": "portal-bench",
    }
    if cookie:
        headers["Cookie"] = cookie
    return headers


def _keep_cookies(jar: SimpleCookie, response: http.client.HTTPResponse, headers: dict[str, str]) -> None:
    """Like a browser: cookies the site sets (the CSRF cookie) are sent back from then on."""
    set_cookies = response.msg.get_all("Set-Cookie")
    if set_cookies:
        for header in set_cookies:
            jar.load(header)
        headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def _client(
    host: str,
    port: int,
    target: Target,
    caller: int,
    start: float,
    measure_from: float,
    until: float,
    out: list,
    errors: dict,
    sizes: list,
) -> None:
    path = target.path
    headers = _headers(host, port, target.cookie, target.accept)
    jar = SimpleCookie(target.cookie)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    sent = 0
    while time.time() < start:
        time.sleep(0.001)
    while True:
        began = time.time()
        if began >= until:
            break
        if target.many_callers:
            # 250 addresses per client: each asks a few times a minute at most.
            headers["X-Forwarded-For"] = f"10.{caller // 250}.{caller % 250}.{sent % 250 + 1}"
            sent += 1
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            status = response.status
            _keep_cookies(jar, response, headers)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            continue
        ended = time.time()
        if status != 200:
            errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
        elif began >= measure_from and ended <= until:
            out.append(ended - began)
            if not sizes:
                sizes.append(len(body))
    conn.close()


def _process(
    host: str,
    port: int,
    target: Target,
    first_caller: int,
    threads: int,
    start: float,
    measure_from: float,
    until: float,
    queue: multiprocessing.Queue,
) -> None:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sizes: list[int] = []
    workers = [
        threading.Thread(
            target=_client,
            args=(host, port, target, first_caller + n, start, measure_from, until, latencies, errors, sizes),
        )
        for n in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, errors, sizes[0] if sizes else 0))


def measure(
    target: Target, host: str, port: int, clients: int, warmup: float, duration: float, processes: int = 2
) -> Measurement:
    """Run ``clients`` concurrent keep-alive clients against one path; returns what was measured."""
    processes = max(1, min(processes, clients))
    per_process = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    start = time.time() + 0.5  # every client starts at once, after the processes are up
    measure_from = start + warmup
    until = measure_from + duration
    queue: multiprocessing.Queue = multiprocessing.Queue()
    children = [
        multiprocessing.Process(
            target=_process,
            args=(host, port, target, sum(per_process[:index]), n, start, measure_from, until, queue),
        )
        for index, n in enumerate(per_process)
    ]
    for child in children:
        child.start()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    size = 0
    for _ in children:
        part, part_errors, part_size = queue.get()
        latencies.extend(part)
        for key, count in part_errors.items():
            errors[key] = errors.get(key, 0) + count
        size = size or part_size
    for child in children:
        child.join()
    return Measurement(target, len(latencies), duration, latencies, errors, size)


def fetch(
    host: str, port: int, path: str, cookie: str = "", accept: str = "text/html", headers: dict[str, str] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """One GET, for the checks before measuring."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path, headers={**_headers(host, port, cookie, accept), **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def parser_with_runs(description: str | None) -> argparse.ArgumentParser:
    """The options every page benchmark takes: the scales, the clients, the rounds, gunicorn's workers."""
    cores = machine.usable_cores()
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="make_dataset scale of the first run (default 1)")
    parser.add_argument(
        "--compare-scale",
        type=float,
        default=10.0,
        help="scale of the second run, on a fresh database (default 10; 0 skips it)",
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent keep-alive clients (default 20)")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds measured per page and round (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all pages; the best counts (default 2)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per page (default 2)")
    parser.add_argument(
        "--workers", type=int, default=cores + 1, help=f"gunicorn worker processes (default cores + 1 = {cores + 1})"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--client-processes", type=int, default=2, help="processes the clients run in (default 2)")
    return parser


def run(
    target: Target, host: str, port: int, options: argparse.Namespace, duration: float | None = None, width: int = 38
) -> Measurement:
    """``measure`` with a benchmark's options (``parser_with_runs``), printing one line of figures."""
    result = measure(
        target,
        host,
        port,
        options.clients,
        options.warmup,
        options.duration if duration is None else duration,
        processes=options.client_processes,
    )
    errors = f"  errors: {result.errors}" if result.errors else ""
    print(
        f"    {target.name:<{width}} {result.rps:8.1f} req/s  p50 {result.p50:7.1f} ms  "
        f"p95 {result.p95:7.1f} ms  {result.body_bytes / 1024:6.1f} KiB{errors}",
        flush=True,
    )
    return result

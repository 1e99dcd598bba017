"""A small, bounded HTTP load generator for loopback benchmarks.

Plain asyncio sockets (one request per connection, as gunicorn's sync workers close connections),
so the client costs little CPU next to the server on a 2-core machine. Every run stops after a
fixed duration or request budget, whichever comes first, and only talks to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class LoadResult:
    label: str
    concurrency: int
    duration_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    #: CPU seconds the load generator itself used over the run's wall time (it shares the
    #: machine with the server, so a high share means the figures understate the server).
    client_cpu_share: float = 0.0
    #: The p95 target in ms, printed beside the figures when given.
    target_ms: float | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else float("nan")

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    def summary(self) -> str:
        return (
            f"{self.label:<44.44} c={self.concurrency:<3} n={self.requests:<6} "
            f"p50={self.percentile(50):7.1f} ms  p95={self.percentile(95):7.1f} ms  "
            f"p99={self.percentile(99):7.1f} ms  {self.rps:7.1f} req/s  errors={self.errors}"
            f"  client CPU {self.client_cpu_share:4.0%}{self._verdict()}"
        )

    def _verdict(self) -> str:
        if self.target_ms is None:
            return ""
        met = self.errors == 0 and self.percentile(95) <= self.target_ms
        return f"  target p95<={self.target_ms:g} ms: {'met' if met else 'MISSED'}"


async def _one_request(host: str, port: int, path: str, cookie: str = "") -> tuple[int, int]:
    reader, writer = await asyncio.open_connection(host, port)
    header = f"Cookie: {cookie}\r\n" if cookie else ""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{header}Connection: close\r\n\r\n"
    writer.write(request.encode("ascii"))
    await writer.drain()
    data = await reader.read()
    writer.close()
    status_line = data.split(b"\r\n", 1)[0]
    status = int(status_line.split()[1]) if status_line.startswith(b"HTTP/") else 0
    return status, len(data)


async def _run(
    host: str,
    port: int,
    paths: list[str],
    concurrency: int,
    duration_s: float,
    max_requests: int,
    cookies: Sequence[str] = (),
) -> LoadResult:
    result = LoadResult(label="", concurrency=concurrency, duration_s=duration_s)
    deadline = time.perf_counter() + duration_s
    counter = 0

    async def worker(offset: int) -> None:
        nonlocal counter
        i = offset
        cookie = cookies[offset % len(cookies)] if cookies else ""
        while time.perf_counter() < deadline and counter < max_requests:
            counter += 1
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                status, _ = await _one_request(host, port, path, cookie)
            except OSError:
                result.errors += 1
                continue
            elapsed = (time.perf_counter() - start) * 1000
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status == 200:
                result.latencies_ms.append(elapsed)
            else:
                result.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    result.duration_s = time.perf_counter() - started
    return result


def run_load(
    label: str,
    port: int,
    paths: list[str],
    *,
    concurrency: int = 50,
    duration_s: float = 10.0,
    max_requests: int = 20_000,
    cookies: Sequence[str] = (),
    target_ms: float | None = None,
) -> LoadResult:
    """``cookies``: one per client in turn (a signed-in session each), or none."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    result = asyncio.run(
        _run("127.0.0.1", port, paths, concurrency, duration_s, max_requests, cookies)
    )
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result.client_cpu_share = cpu_s / result.duration_s if result.duration_s else 0.0
    result.label = label
    result.target_ms = target_ms
    return result

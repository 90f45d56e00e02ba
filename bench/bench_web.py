"""Benchmark: the dashboard under 20 concurrent clients, pages served from stored runs.

    python bench/bench_web.py [--employees 300000] [--seconds 60] [--clients 20]

(`--rows`/`--repeat`, which bench/run_all.py passes to every benchmark, are accepted and
ignored: the size here is the organisation's, the issue's 300,000 employees by default.)
Builds the demo organisation with `--employees` once (`mieruka demo --size N`, kept in
bench/data/ws-web/<rows>/ and reused), starts `mieruka serve` on a free loopback port in
its own process, warms every URL once, then for `--seconds` keeps `--clients` clients
(httpx, asyncio, one connection each) requesting, in turn, the overview (`/`) and the
indicator pages of every indicator of the newest run. Reported: p50 and p95 latency and
throughput of those pages, the server process's peak RSS, and as the baseline measured in
the same run, under the same load, the server's static stylesheet (`/static/app.css`):
the floor of the HTTP stack on this machine. Goal: p95 of the pages < 300 ms.

The dashboard renders a page of stored runs once and serves it again until a run is
appended, so the timed load is the steady state; the warm-up, one client asking each page
once, is the first view of each page and is reported as such ("cold"). The machine may be
shared: each phase also reports the 1-minute load average at its end and the server
process's CPU time per request, which the other processes on the machine do not change.

The load goes to 127.0.0.1 only, is bounded in time, and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

DATA = Path(__file__).resolve().parent / "data"
GOAL_P95_S = 0.3


def workspace(rows: int, say: Any) -> Path:
    """The demo organisation with `rows` employees, built once and reused."""
    root = DATA / "ws-web" / str(rows)
    if (root / "mieruka.toml").exists() and (root / ".mieruka").exists():
        return root
    from rich.console import Console

    from mieruka.demo.build import build_demo

    say(f"building the demo organisation with {rows:,} employees in {root} …")
    root.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    build_demo(root, size=str(rows), force=True, console=Console(quiet=True)).close()
    say(f"built in {time.perf_counter() - started:,.0f} s")
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(root: Path, port: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("mieruka")), "-C", str(root), "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                "the dashboard did not start: " + server.stderr.read().decode()[-800:]
            )  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the dashboard did not answer within 120 s")


def server_cpu_s(pid: int) -> float:
    """User + system CPU time of the server process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _client(base: str, urls: list[str], offset: int, until: float, out: list[float]) -> int:
    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        i = offset
        while time.perf_counter() < until:
            url = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            response = await client.get(url)
            out.append(time.perf_counter() - started)
            errors += response.status_code != 200
    return errors


async def load(base: str, urls: list[str], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    started = time.perf_counter()
    until = started + seconds
    errors = await asyncio.gather(
        *(_client(base, urls, k * 7, until, latencies) for k in range(clients))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {
        "requests": len(ordered),
        "errors": sum(errors),
        "p50_s": pct(0.50),
        "p95_s": pct(0.95),
        "throughput_rps": len(ordered) / elapsed,
    }


def page_urls(base: str) -> list[str]:
    overview = httpx.get(f"{base}/api/v1/overview", timeout=300).json()
    run = overview["run"]["id"]
    ids = [i["id"] for g in overview["groups"] for i in g["indicators"] if not i.get("skipped")]
    return ["/"] + [f"/indicators/{i}?run={run}" for i in ids]


def timed_load(
    pid: int, base: str, urls: list[str], clients: int, seconds: float
) -> dict[str, Any]:
    cpu = server_cpu_s(pid)
    result = asyncio.run(load(base, urls, clients, seconds))
    result["server_cpu_ms_per_request"] = (
        (server_cpu_s(pid) - cpu) * 1000 / result["requests"] if result["requests"] else None
    )
    result["load_average"] = os.getloadavg()[0]
    return result


def measure(rows: int, seconds: float, clients: int, say: Any) -> dict[str, Any]:
    root = workspace(rows, say)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(root, port)
    try:
        urls = page_urls(base)
        say(f"warming {len(urls)} pages (overview + indicator pages) …")
        cold: list[float] = []
        with httpx.Client(base_url=base, timeout=300) as client:
            for url in urls:
                started = time.perf_counter()
                client.get(url).raise_for_status()
                cold.append(time.perf_counter() - started)
        say(f"baseline: /static/app.css, {clients} clients, {seconds:g} s …")
        static = timed_load(server.pid, base, ["/static/app.css"], clients, seconds)
        say(f"pages: {clients} clients, {seconds:g} s …")
        pages = timed_load(server.pid, base, urls, clients, seconds)
        peak = server_peak_mb(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {
        "workload": "web pages",
        "size": f"{rows:,} employees, {clients} clients, {seconds:g} s",
        "baseline": "the same server's static stylesheet under the same load",
        "mieruka_s": pages["p95_s"],
        "baseline_s": static["p95_s"],
        "ratio": pages["p95_s"] / static["p95_s"] if static["p95_s"] else float("nan"),
        "goal": f"p95 {GOAL_P95_S * 1000:.0f} ms",
        "peak_mb": peak,
        "baseline_peak_mb": peak,
        "pages": pages,
        "static": static,
        "urls": len(urls),
        "cold": {"mean_s": sum(cold) / len(cold), "max_s": max(cold), "first_overview_s": cold[0]},
        "goal_met": pages["p95_s"] < GOAL_P95_S and pages["errors"] == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=300_000, help="size of the demo")
    parser.add_argument("--rows", type=int, default=0, help="accepted for run_all; unused")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1, help="accepted for run_all; unused")
    parser.add_argument("--json", action="store_true", help="print the row as JSON only")
    args = parser.parse_args()
    say = (lambda _m: None) if args.json else print
    row = measure(args.employees, args.seconds, args.clients, say)
    if args.json:
        print(json.dumps(row))
        return
    for name in ("pages", "static"):
        r = row[name]
        print(
            f"{name:>6}: {r['requests']:,} requests, {r['errors']} errors, "
            f"p50 {r['p50_s'] * 1000:.1f} ms, p95 {r['p95_s'] * 1000:.1f} ms, "
            f"{r['throughput_rps']:.1f} req/s, server CPU {r['server_cpu_ms_per_request']:.2f} ms/req, "
            f"load average {r['load_average']:.1f}"
        )
    cold = row["cold"]
    print(
        f"  cold: first view of each page, one client: mean {cold['mean_s'] * 1000:.0f} ms, "
        f"max {cold['max_s'] * 1000:.0f} ms, overview {cold['first_overview_s'] * 1000:.0f} ms"
    )
    print(f"pages p95 / static p95: {row['ratio']:.1f}   goal: pages p95 < {GOAL_P95_S * 1000:.0f} ms"
          f" -> {'met' if row['goal_met'] else 'NOT met'}")  # fmt: skip
    print(f"server peak RSS: {row['peak_mb']:,.0f} MB   ({row['size']}, {row['urls']} page URLs)")


if __name__ == "__main__":
    main()

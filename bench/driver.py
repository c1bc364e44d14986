"""Driving wrk (Debian's) with bench/wrk/request.lua and reading its --latency report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from bench.settings import WRK_SCRIPT, Settings

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
COUNT_UNITS = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}


class WrkError(RuntimeError):
    """wrk is missing or said something we cannot read."""


@dataclass
class LoadResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int

    @property
    def error_share(self) -> float:
        return (self.non_2xx + self.socket_errors) / max(self.requests, 1)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkError("wrk is not installed (make bench installs Debian's wrk)")
    return found


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if match is None:
        raise WrkError(f"cannot read the duration {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse(output: str) -> LoadResult:
    """Pull req/s, p50, p99 and the error counts out of `wrk --latency` output."""

    def find(pattern: str) -> re.Match[str]:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise WrkError(f"no {pattern!r} in wrk's output:\n{output}")
        return match

    done = find(r"^\s*(\d+) requests in ([\d.]+\w+),")
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return LoadResult(
        rps=float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=_duration_ms(find(r"^\s+50%\s+(\S+)").group(1)),
        p99_ms=_duration_ms(find(r"^\s+99%\s+(\S+)").group(1)),
        requests=int(done.group(1)),
        seconds=_duration_ms(done.group(2)) / 1000.0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
    )


def run(
    settings: Settings,
    url: str,
    *,
    method: str = "GET",
    body: str = "",
    headers: dict[str, str] | None = None,
    seconds: int | None = None,
    client_ids: bool = False,
) -> LoadResult:
    """Drive url for `seconds` with the configured connections and threads."""
    duration = seconds if seconds is not None else settings.seconds
    env = {
        **os.environ,
        "WRK_METHOD": method,
        "WRK_BODY": body,
        "WRK_HEADERS": "\n".join(f"{k}: {v}" for k, v in (headers or {}).items()),
        "WRK_CLIENT_IDS": "1" if client_ids else "",
    }
    argv = [
        wrk_path(),
        f"--threads={settings.wrk_threads}",
        f"--connections={settings.connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        "--latency",
        f"--script={WRK_SCRIPT}",
        url,
    ]
    done = subprocess.run(  # noqa: S603 (wrk from PATH, argv built here)
        argv, env=env, capture_output=True, text=True, check=False, timeout=duration + 60
    )
    if done.returncode != 0:
        raise WrkError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse(done.stdout)

"""The processes of scripts/load_test.py: started, watched, measured, stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Processes:
    """What this run started, each in a process group of its own (RQ forks per job)."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        with (self.logs / f"{name}.log").open("wb") as output:
            self.running[name] = subprocess.Popen(  # noqa: S603 (this run's own commands)
                argv,
                env=env or self.env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ambassade(self, name: str, *command: str) -> None:
        self.start(name, [sys.executable, "-m", "ambassade.cli", *command])

    def died(self) -> list[str]:
        return [name for name, child in self.running.items() if child.poll() is not None]

    def stop_all(self) -> None:
        for child in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for child in self.running.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.running.clear()


class Sampler(threading.Thread):
    """Every half second: the peak resident memory of each web process (``ambassade web``
    and the processes it forks), and the CPU time of every process this run started, to
    tell where the machine's two cores went."""

    def __init__(self, roots: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.roots = roots
        self.peaks: dict[int, tuple[int, int]] = {}  # web pid -> (RSS, PSS), bytes
        self.cpu: dict[str, dict[int, float]] = {name: {} for name in roots}  # seconds
        self.cpu_before: dict[int, float] = {}  # at a process's first sample: set-up time
        self.stopping = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stopping.wait(0.5):
            for name, pid in self.roots.items():
                with contextlib.suppress(psutil.Error):
                    root = psutil.Process(pid)
                    for process in [root, *root.children(recursive=True)]:
                        with contextlib.suppress(psutil.Error):
                            self._sample(name, process)

    def _sample(self, name: str, process: Any) -> None:
        times = process.cpu_times()  # its own, and its children's once they ended
        used = times.user + times.system + times.children_user + times.children_system
        self.cpu_before.setdefault(process.pid, used)
        self.cpu[name][process.pid] = used - self.cpu_before[process.pid]
        if name == "web":
            # PSS shares the pages forked processes have in common among them; RSS
            # counts them in each.
            memory = process.memory_full_info()
            rss, pss = self.peaks.get(process.pid, (0, 0))
            self.peaks[process.pid] = (max(rss, memory.rss), max(pss, memory.pss))

    def cpu_seconds(self) -> dict[str, float]:
        return {name: sum(pids.values()) for name, pids in self.cpu.items()}


def wait_for(url: str, host: str, seconds: float, name: str) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            # Any answer will do (503 while the queue is busy is one); the certificate is
            # the run's own, self-signed.
            httpx.get(url, headers={"Host": host}, timeout=5, verify=False)  # noqa: S501
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer within {seconds:.0f} s") from None
            time.sleep(0.5)

"""Run gunicorn and wrk for the benchmark, both as separate processes on loopback."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """kcry served the production way: gunicorn, DEBUG off, settings from the environment."""

    def __init__(self, workers=2, log_path=ROOT / "bench-gunicorn.log", **environment):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.environment = {
            **os.environ,
            "DEBUG": "0",
            # The benchmark logs members in from its own process: same key, same sessions.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "KCRY_BENCH_VIEW": "1",
            "LOG_LEVEL": "WARNING",
            **environment,
        }
        self.workers = workers
        self.log_path = log_path
        self.process = None

    def collect_static(self):
        """Hashed, compressed static files, as the production storage expects."""
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=self.environment,
            check=True,
        )

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "kcry_site.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log_path.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(url, *, connections=16, seconds=10, script="report.lua", environment=None):
    """Load `url` with wrk from a second process; return its figures as a dict."""
    binary = shutil.which("wrk")
    if not binary:
        raise RuntimeError("wrk is not installed (make bench installs it with apt-get)")
    result = subprocess.run(
        [
            binary,
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--script",
            str(HERE / script),
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "KCRY_BENCH_DIR": str(HERE), **(environment or {})},
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK_JSON "))
    figures = json.loads(line.removeprefix("WRK_JSON "))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def check_page(base_url, path, *, session=None):
    """Fail loudly unless gunicorn answers `path` with 200 (as the member, with `session`):
    wrk would count a redirect to the log-in page as a fast success."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    try:
        connection.request("GET", path, headers=headers)
        status = connection.getresponse().status
    finally:
        connection.close()
    if status != 200:
        who = "the member" if session else "a visitor"
        raise RuntimeError(f"GET {path} answered {status} to {who}")

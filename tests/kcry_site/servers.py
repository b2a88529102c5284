"""Throw-away servers on loopback that a test can stop, pause and bring back.

Each server listens on a free port chosen at start and keeps it across restarts, so the
site's settings (CACHE_URL, DATABASE_URL) stay valid while the server is away.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, *, timeout=10, process=None):
    """Wait until something accepts connections on the loopback port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                message = f"the server on port {port} exited with {process.returncode}"
                raise RuntimeError(message) from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing answered on port {port} within {timeout} s") from None
            time.sleep(0.05)


class RedisServer:
    """A redis-server with no persistence: a restart comes back empty, like a lost cache."""

    def __init__(self, port=None):
        self.binary = shutil.which("redis-server")
        assert self.binary, "redis-server is not installed: run `make test`, which installs it"
        self.port = port or free_port()
        self.process = None
        self.paused = False

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/1"

    def start(self):
        self.process = subprocess.Popen(
            [
                self.binary,
                *("--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)
        return self

    def stop(self):
        """Stop the server at once (SIGKILL: an outage, not a polite shutdown)."""
        if self.process is None:
            return
        self.resume()
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def pause(self):
        """SIGSTOP: the port still accepts connections, but nothing ever answers."""
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self):
        if self.paused and self.process is not None:
            os.kill(self.process.pid, signal.SIGCONT)
        self.paused = False


class PostgresServer:
    """A PostgreSQL cluster of the caller's own (initdb in a temporary directory, trust
    authentication on loopback only), so stopping it affects nobody else.

    Debian's binaries refuse to run as root: as root, the cluster runs as `postgres`.
    """

    def __init__(self):
        found = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
        )
        assert found, "PostgreSQL is not installed: run `make test`, which installs it"
        self.bin = found[-1].parent
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="kcry-postgres-"))
        self.data = self.directory / "data"
        self.as_owner = []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self):
        return f"postgres://kcry@127.0.0.1:{self.port}/kcry"

    def _run(self, program, *args):
        subprocess.run(
            [*self.as_owner, str(self.bin / program), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
            timeout=60,
        )

    def create(self):
        # No fsync: a stopped server (even SIGQUIT) keeps what it committed in the OS's
        # file cache; only a machine crash would need it.
        self._run("initdb", "-D", str(self.data), "-U", "kcry", "--auth=trust", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "kcry", "kcry")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")
        return self

    def stop(self):
        """An outage: immediate shutdown, every connection dropped, recovery at start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self):
        subprocess.run(
            [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

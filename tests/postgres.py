"""A throwaway PostgreSQL server from Debian's packages: initdb into a temporary folder, pg_ctl on a free local port.

PostgreSQL refuses to run as root, so as root (CI containers) the server runs as
the `postgres` user that Debian's package creates. Authentication is `trust` on
127.0.0.1 only: the server lives as long as the test session and holds test data.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path:
    """The folder with initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (scripts/setup.sh does this as root)")


@dataclass
class Server:
    """A running PostgreSQL server."""

    folder: Path
    port: int
    user: str | None  # the OS user it runs as, when not this one

    @property
    def admin_url(self) -> str:
        return f"postgresql://tutor@127.0.0.1:{self.port}/postgres"

    def new_database(self) -> str:
        """A URL of a new empty database on this server."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return f"postgresql://tutor@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str) -> None:
        subprocess.run([str(binaries() / args[0]), *args[1:]], check=True, capture_output=True, user=self.user)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")


def start(folder: Path, port: int) -> Server:
    """Create a cluster in `folder` and start it on `port`."""
    user = None
    if os.geteuid() == 0:
        user = "postgres"
        shutil.chown(folder, user=pwd.getpwnam(user).pw_uid)
    server = Server(folder, port, user)
    server._run("initdb", "-D", str(folder / "data"), "-U", "tutor", "--auth=trust", "-E", "UTF8", "--no-sync")
    server.start()
    return server

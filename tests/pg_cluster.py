"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temporary folder, on a free port.

The server binaries are the ``pgserver`` wheel's (PostgreSQL 16 with pgvector built in; see the
README's "PostgreSQL library" for why not Debian's PostgreSQL 15). ``initdb`` refuses to run as
root, and the tests run as root in CI, so the cluster is made and run by an unprivileged user
(``nobody``) through ``runuser``. If anything fails, :class:`ClusterError` says what, with the
server's log, so the PostgreSQL tests fail with that reason instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "nobody"  # present on every Debian system; owns nothing else we care about


class ClusterError(RuntimeError):
    pass


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def stop(self) -> None:
        _as_user([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_user(args: list[str], check: bool = True) -> subprocess.CompletedProcess:
    cmd = ["runuser", "-u", USER, "--", *args] if os.geteuid() == 0 else args
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise ClusterError(f"{' '.join(args[:1])} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}")
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_bin() -> Path:
    try:
        import pgserver
    except ImportError:
        raise ClusterError("the pgserver wheel is not installed: run `make test` (it installs '.[test]')") from None
    path = Path(pgserver.__file__).parent / "pginstall" / "bin"
    if not (path / "initdb").exists():
        raise ClusterError(f"no initdb in {path}")
    return path


def start() -> Cluster:
    """Make and start a cluster; the caller stops it (``Cluster.stop``)."""
    bin_ = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="sourcecheck-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, USER)
    cluster = Cluster(folder, _free_port(), bin_)
    try:
        if _as_user(["test", "-x", str(bin_ / "initdb")], check=False).returncode != 0:
            # The venv sits where the unprivileged user cannot reach (a checkout under /root):
            # a copy of the server's install tree and its shared libraries (found by the
            # binaries' rpath, $ORIGIN/../../../pgserver.libs) in the cluster's own folder.
            package = bin_.parent.parent
            shutil.copytree(bin_.parent, folder / "pg" / "pgserver" / "pginstall", symlinks=True)
            shutil.copytree(package.parent / "pgserver.libs", folder / "pg" / "pgserver.libs", symlinks=True)
            cluster.bin = bin_ = folder / "pg" / "pgserver" / "pginstall" / "bin"
        _as_user([str(bin_ / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8"])
        options = f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = _as_user([str(bin_ / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "server.log"),
                            "-o", options, "-w", "-t", "60", "start"], check=False)
        if started.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace")[-800:] if (folder / "server.log").exists() else ""
            raise ClusterError(f"pg_ctl start failed: {started.stderr.strip()} {log}")
    except BaseException:
        cluster.stop()
        raise
    return cluster

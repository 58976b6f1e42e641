"""`kilocloud serve` refuses to start on a schema `kilocloud db upgrade` has not made current,
or without a way to check tokens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import free_port


def serve(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kilocloud", "serve", "image", "--port", str(free_port()), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def test_serve_on_a_never_migrated_database_exits_asking_for_db_upgrade(tmp_path: Path):
    done = serve("--state-dir", str(tmp_path / "fresh"))
    assert done.returncode != 0
    assert "run `kilocloud db upgrade`" in done.stderr
    assert "Uvicorn running" not in done.stderr


def test_serve_on_an_unreachable_database_exits_saying_so(tmp_path: Path):
    conf = tmp_path / "kilocloud.conf"
    conf.write_text(f"[database]\nconnection = postgresql://nobody@127.0.0.1:{free_port()}/x\n")
    done = serve("--state-dir", str(tmp_path / "state"), "--config-file", str(conf))
    assert done.returncode != 0
    assert "cannot read the database schema revision" in done.stderr


def _kilocloud(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "kilocloud", *args], check=True, capture_output=True)


def test_serve_image_without_fernet_keys_or_keystone_exits_saying_so(tmp_path: Path):
    state = ["--state-dir", str(tmp_path / "state")]
    _kilocloud("db", "upgrade", *state)
    done = serve(*state)
    assert done.returncode == 1
    keys = tmp_path / "state" / "fernet-keys"
    assert done.stderr == (
        f"kilocloud: serve image cannot check tokens: there are no Fernet keys in {keys} and no "
        "[keystone_authtoken] auth_url; copy the identity service's keys there "
        "([fernet_tokens] key_repository) or set [keystone_authtoken]\n"
    )


def test_serve_on_an_upgraded_database_with_keys_starts(tmp_path: Path):
    state = ["--state-dir", str(tmp_path / "state")]
    _kilocloud("db", "upgrade", *state)
    _kilocloud("fernet", "setup", *state)
    cmd = [sys.executable, "-m", "kilocloud", "serve", "image", "--port", str(free_port()), *state]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in proc.stdout:
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        assert proc.poll() is None
    finally:
        proc.send_signal(2)
        proc.wait(20)

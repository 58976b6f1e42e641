"""`kilocloud --version` and `--help`, which answer at once: they import none of the cloud."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

KILOCLOUD = [sys.executable, "-m", "kilocloud"]
# what a command that only prints must not load: each costs tens of milliseconds
HEAVY = ("sqlalchemy", "oslo_config", "starlette", "uvicorn", "alembic", "cryptography")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KILOCLOUD, *args], capture_output=True, text=True, timeout=60)


def imported(*args: str) -> set[str]:
    """Top-level packages `kilocloud ARGS` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kilocloud", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("import time:")]
    return {ln.rpartition("|")[2].strip().split(".")[0] for ln in lines}


def test_version_is_the_installed_distribution_version():
    done = run("--version")
    version = importlib.metadata.version("kilocloud")
    assert (done.returncode, done.stdout) == (0, f"kilocloud {version}\n")


def test_help_lists_every_command_with_what_it_does():
    done = run("--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())  # as wrapped for any terminal width
    for entry in (
        "up run the whole cloud in one process (SQLite, in-process workers)",
        "bootstrap create the admin user, project, roles and catalog",
        "fernet create or rotate the Fernet token keys",
    ):
        assert entry in text
    assert "set in the environment as OS_<GROUP>__<OPTION>" in text


def test_up_help_states_the_defaults():
    text = " ".join(run("up", "--help").stdout.split())
    assert "--port N port to listen on (default: [DEFAULT] bind_port, 8770)" in text
    assert "--host ADDRESS address to listen on (default: 127.0.0.1)" in text
    assert "(default: ~/.local/share/kilocloud)" in text


def test_help_and_version_import_none_of_the_cloud():
    assert imported("--help") & set(HEAVY) == set()
    assert imported("--version") & set(HEAVY) == set()
    assert imported("up", "--help") & set(HEAVY) == set()

"""A state directory that already exists with mode 0755 (or a umask of 022) leaves none of the
secrets in the database readable by other users, and the operator is warned about the mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.conftest import Cloud


def test_database_files_are_0600_in_a_0755_state_dir(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o755)
    os.chmod(state, 0o755)
    cloud = Cloud(state, None)
    old = os.umask(0o022)
    try:
        cloud.start()
    finally:
        os.umask(old)
    try:
        cloud.token()  # a write: the WAL holds a fresh row
        for name in ("kilocloud.db", "kilocloud.db-wal", "kilocloud.db-shm"):
            path = state / name
            if path.exists():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
        assert (state / "kilocloud.db").exists()
    finally:
        cloud.stop()
    assert "readable by other users (mode 755)" in (state / "server.log").read_text()

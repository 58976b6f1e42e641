"""The whole identity functional suite, run again on MariaDB and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).parents[1] / "functional" / "identity"


@pytest.mark.timeout(1500)  # the whole suite, one test at a time: five minutes on a busy machine
@pytest.mark.parametrize("backend", ["mariadb", "postgresql"])
def test_identity_suite_passes_on(backend, tmp_path):
    env = os.environ | {"KILOCLOUD_TEST_DATABASE": backend}
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", str(SUITE)]
    cmd += ["--basetemp", str(tmp_path / "run"), "-W", "ignore"]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in run.stdout.splitlines()[-1]

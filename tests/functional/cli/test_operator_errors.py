"""An operator's mistake stops `kilocloud up` with one clear line on stderr and exit status 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import free_port

UP = [sys.executable, "-m", "kilocloud", "up"]


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def up(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """`kilocloud up` on a free port, in tmp_path/state unless --state-dir is given."""
    state = [] if "--state-dir" in args else ["--state-dir", str(tmp_path / "state")]
    return run([*UP, "--port", str(free_port()), *state, *args])


def test_missing_config_file(tmp_path: Path):
    missing = tmp_path / "nowhere.conf"
    done = up(tmp_path, "--config-file", str(missing))
    assert (done.returncode, done.stderr) == (
        1,
        f"kilocloud: Failed to find some config files: {missing}\n",
    )


def test_malformed_config_file(tmp_path: Path):
    conf = tmp_path / "kilocloud.conf"
    conf.write_text("[token\nexpiration = 60\n")
    done = up(tmp_path, "--config-file", str(conf))
    assert (done.returncode, done.stderr) == (
        1,
        f"kilocloud: Failed to parse {conf}: at {conf}:1, Invalid section (must end with ]): "
        "'[token'\n",
    )


def test_bad_option_value_is_refused_at_start(tmp_path: Path):
    conf = tmp_path / "kilocloud.conf"
    conf.write_text("[token]\nexpiration = abc\n")
    done = up(tmp_path, "--config-file", str(conf))
    assert (done.returncode, done.stderr) == (
        1,
        f"kilocloud: invalid value for [token] expiration (from {conf}): "
        "invalid literal for int() with base 10: 'abc'\n",
    )
    assert not (tmp_path / "state").exists()


def test_state_dir_that_is_a_file(tmp_path: Path):
    state = tmp_path / "state"
    state.write_text("")
    done = up(tmp_path, "--state-dir", str(state))
    assert (done.returncode, done.stderr) == (
        1,
        f"kilocloud: state directory {state} is a file, not a directory\n",
    )


def test_unwritable_state_dir(tmp_path: Path):
    state = tmp_path / "state"
    state.mkdir(mode=0o500)
    # as root, only without the capability to override file modes does the mode count
    nocap = ["setpriv", "--inh-caps=-dac_override", "--bounding-set=-dac_override"]
    done = run([*nocap, *UP, "--port", str(free_port()), "--state-dir", str(state)])
    assert (done.returncode, done.stderr) == (
        1,
        f"kilocloud: cannot write in state directory {state}: Permission denied\n",
    )


def test_read_only_state_dir(tmp_path: Path):
    state = tmp_path / "state"
    state.mkdir()
    command = " ".join([*UP, "--port", str(free_port()), "--state-dir", str(state)])
    # a read-only bind mount seen only inside a mount namespace of this test's own
    shell = f"mount --bind -o ro {state} {state} && exec {command}"
    done = run(["unshare", "--mount", "--propagation", "private", "sh", "-c", shell])
    assert (done.returncode, done.stderr) == (
        1,
        f"kilocloud: cannot write in state directory {state}: Read-only file system\n",
    )

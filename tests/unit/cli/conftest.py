"""Run `kilocloud` subcommands in-process, as the console script would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kilocloud.cli import main


@pytest.fixture
def kilocloud(tmp_path: Path, capsys: pytest.CaptureFixture) -> Callable[..., tuple[int, str]]:
    """Call `kilocloud ARGS --state-dir TMP`; return its exit status and what it printed."""

    def run(*args: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as exit_info:
            main.main([*args, "--state-dir", str(tmp_path)])
        return exit_info.value.code, capsys.readouterr().out

    return run

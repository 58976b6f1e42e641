"""etc/kilocloud.conf.sample is what oslo-config-generator makes of the options in the code."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_sample_config_is_current(tmp_path):
    out = tmp_path / "kilocloud.conf.sample"
    subprocess.run(
        [
            "oslo-config-generator",
            "--config-file",
            str(ROOT / "etc" / "oslo-config-generator.conf"),
            "--output-file",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    expected = (ROOT / "etc" / "kilocloud.conf.sample").read_text()
    assert out.read_text() == expected, "run oslo-config-generator (see README) and commit"

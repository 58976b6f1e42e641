"""Reading a container's console log, as podman's k8s-file log driver writes it.

Each line is `<timestamp> <stdout|stderr> <F|P> <text>`: F ends a line, P is part of a longer
one that continues on the next record.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path


def tail(path: Path, length: int | None) -> str:
    """The text of the log, only its last `length` lines when given."""
    lines: deque[str] = deque(maxlen=length if length is not None else None)
    partial = ""
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            for record in log:
                _, _, rest = record.partition(" ")
                _, _, rest = rest.partition(" ")
                flag, _, text = rest.partition(" ")
                partial += text.removesuffix("\n")
                if flag != "P":
                    lines.append(partial + "\n")
                    partial = ""
    except FileNotFoundError:
        return ""
    if length == 0:
        return ""
    return "".join(lines) + partial

"""Reading console logs: a VM's serial log as text, a container's as podman's k8s-file log.

A k8s-file record is `<timestamp> <stdout|stderr> <F|P> <text>`: F ends a line, P is part of a
longer one that continues on the next record.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path


def text_tail(path: Path, length: int | None) -> str:
    """A text log, only its last `length` lines when given."""
    if length == 0:
        return ""
    lines: deque[str] = deque(maxlen=length)
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as log:
            lines.extend(log)
    except FileNotFoundError:
        return ""
    return "".join(lines)


def k8s_tail(path: Path, length: int | None) -> str:
    """The text of a k8s-file log, only its last `length` lines when given."""
    lines: deque[str] = deque(maxlen=length)
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

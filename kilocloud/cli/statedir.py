"""One cloud per state directory: a lock held for the life of the process that serves it."""

from __future__ import annotations

import fcntl
import os

LOCK_FILE = "kilocloud.pid"


def claim(path: str) -> int:
    """Create `path` if needed and lock it for this process; returns the open lock's fd.

    Stops with one line naming the holder's pid if another process serves the directory, or
    saying why the directory cannot be used.
    """
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except FileExistsError:
        raise SystemExit(f"kilocloud: state directory {path} is a file, not a directory") from None
    except OSError as exc:
        raise SystemExit(
            f"kilocloud: cannot create state directory {path}: {exc.strerror}"
        ) from None
    lock_path = os.path.join(path, LOCK_FILE)
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise SystemExit(
            f"kilocloud: cannot write in state directory {path}: {exc.strerror}"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise SystemExit(
            f"kilocloud: state directory {path} is in use by another kilocloud (pid {holder}); "
            "stop it first, or give another --state-dir"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd

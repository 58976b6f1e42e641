"""The services a cloud can mount, by name: each is the package kilocloud.<name>, with
routes.py (`build`) and policies.py (`RULES`), imported only when it is mounted."""

from __future__ import annotations

import importlib.util

# name -> the port it listens on when served alone (`kilocloud serve NAME`)
SERVICES = {
    "identity": 5000,
    "image": 9292,
    "messaging": 8888,
    "compute": 8774,
    "network": 9696,
}


def available_services() -> tuple[str, ...]:
    """The services whose packages are present in this installation, without importing them."""
    return tuple(n for n in SERVICES if importlib.util.find_spec(f"kilocloud.{n}.routes"))

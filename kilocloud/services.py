"""The services a cloud can mount, by name: each is the package kilocloud.<name>, with
routes.py (`build`) and policies.py (`RULES`), imported only when it is mounted."""

from __future__ import annotations

# name -> the port it listens on when served alone (`kilocloud serve NAME`)
SERVICES = {
    "identity": 5000,
    "image": 9292,
    "messaging": 8888,
    "compute": 8774,
    "network": 9696,
}


def available_services() -> tuple[str, ...]:
    """Every service, in mount order."""
    return tuple(SERVICES)

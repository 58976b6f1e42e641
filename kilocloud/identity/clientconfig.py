"""The openrc and clouds.yaml a new user sources to reach the cloud with `openstack`."""

from __future__ import annotations

import os
import shlex
import uuid

import yaml


def _write_private(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def write(state_dir: str, endpoint: str, password: str, region: str, ca: str | None) -> None:
    """Write STATE_DIR/openrc and STATE_DIR/clouds.yaml (cloud `kilocloud`)."""
    auth_url = f"{endpoint}/identity/v3"
    env = {
        "OS_AUTH_URL": auth_url,
        "OS_IDENTITY_API_VERSION": "3",
        "OS_AUTH_TYPE": "password",
        "OS_USERNAME": "admin",
        "OS_PASSWORD": password,
        "OS_PROJECT_NAME": "admin",
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_REGION_NAME": region,
        "OS_INTERFACE": "public",
        # `openstack messaging ...` insists on a client id; one per state dir, stable
        "OS_MESSAGE_CLIENT_ID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"file://{state_dir}")),
    }
    if ca:
        env["OS_CACERT"] = os.path.abspath(ca)
    lines = [f"export {k}={shlex.quote(v)}" for k, v in env.items()]
    _write_private(os.path.join(state_dir, "openrc"), "\n".join(lines) + "\n")
    cloud = {
        "auth": {
            "auth_url": auth_url,
            "username": "admin",
            "password": password,
            "project_name": "admin",
            "user_domain_name": "Default",
            "project_domain_name": "Default",
        },
        "region_name": region,
        "interface": "public",
        "identity_api_version": 3,
    }
    if ca:
        cloud["cacert"] = os.path.abspath(ca)
    text = yaml.safe_dump({"clouds": {"kilocloud": cloud}}, sort_keys=False)
    _write_private(os.path.join(state_dir, "clouds.yaml"), text)

"""Restarting `kilocloud up` on the same state dir keeps everything and bootstraps nothing anew."""

from __future__ import annotations


def _snapshot(conn) -> dict:
    identity = conn.identity
    return {
        "projects": {p.id for p in identity.projects()},
        "users": {u.id for u in identity.users()},
        "roles": {r.id for r in identity.roles()},
        "services": {s.id for s in identity.services()},
        "endpoints": {e.id for e in identity.endpoints()},
    }


def test_restart_keeps_projects_users_password_and_catalog(cloud_factory):
    cloud = cloud_factory()
    password = cloud.admin_password
    conn = cloud.connect()
    conn.identity.create_project(name="kept", domain_id="default")
    before = _snapshot(conn)
    cloud.stop()
    assert cloud.process.returncode == 0  # Ctrl-C (SIGINT) stops it cleanly
    cloud.log = open(cloud.state_dir / "server.log", "ab")  # noqa: SIM115 - closed by stop()
    cloud.start()
    assert cloud.admin_password == password
    assert _snapshot(cloud.connect()) == before
    assert len(before["users"]) == 1

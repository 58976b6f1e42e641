"""The identity flows a new user goes through, on MariaDB and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture(scope="module", params=["mariadb", "postgresql"])
def sql_cloud(request, cloud_factory, throwaway_database):
    return cloud_factory(db_url=throwaway_database(request.param))


def test_login_create_grant_and_login_as_the_new_user(sql_cloud):
    cloud = sql_cloud
    assert cloud.cli_json("token", "issue")["project_id"]
    project = cloud.cli_json("project", "create", "web")
    user = cloud.cli_json("user", "create", "--password", "s3cret-pw", "--project", "web", "ann")
    cloud.cli("role", "add", "--user", "ann", "--project", "web", "member")
    env = cloud.env | {"OS_USERNAME": "ann", "OS_PASSWORD": "s3cret-pw", "OS_PROJECT_NAME": "web"}
    token = cloud.cli_json("token", "issue", env=env)
    assert token["project_id"] == project["id"] and token["user_id"] == user["id"]
    dup = cloud.cli("project", "create", "web", check=False)
    assert dup.returncode != 0 and "409" in dup.stderr


def test_revocation_is_seen_on_the_shared_database(sql_cloud):
    cloud = sql_cloud
    subject = cloud.token()
    headers = {"X-Auth-Token": cloud.token(), "X-Subject-Token": subject}
    assert httpx.delete(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 204
    assert httpx.get(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 404


def test_schema_is_at_every_head(sql_cloud):
    heads = sql_cloud.kilocloud("db", "current").stdout
    assert "identity_0002" in heads

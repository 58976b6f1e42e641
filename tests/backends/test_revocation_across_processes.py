"""A token revoked through one API process is refused by another on the same database.

MariaDB once kept revocation times as 4-byte FLOATs, rounded to 128 s: only the revoking process
(which kept the exact value in memory) refused the token.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.backends.api_processes import another_api

# [token] revocation_cache_time (1 s by default) plus room for a slow machine
SEEN_WITHIN = 3.0


@pytest.fixture(scope="module", params=["mariadb", "postgresql"])
def two_apis(request, cloud_factory, throwaway_database) -> Iterator[tuple]:  # noqa: ANN001
    cloud = cloud_factory(db_url=throwaway_database(request.param))
    with another_api(cloud) as other:
        yield cloud, f"{other}/identity/v3"


def _validate(auth_url: str, admin: str, subject: str) -> int:
    headers = {"X-Auth-Token": admin, "X-Subject-Token": subject}
    return httpx.get(f"{auth_url}/auth/tokens", headers=headers, timeout=10).status_code


def _refused_within(auth_url: str, admin: str, subject: str) -> float:
    started = time.monotonic()
    while _validate(auth_url, admin, subject) == 200:
        assert time.monotonic() - started < SEEN_WITHIN, "the other process still accepts it"
        time.sleep(0.1)
    assert _validate(auth_url, admin, subject) == 404
    return time.monotonic() - started


def test_token_revoked_on_one_process_is_refused_on_the_other(two_apis) -> None:  # noqa: ANN001
    cloud, other = two_apis
    admin, subject = cloud.admin_token(), cloud.admin_token()
    assert _validate(other, admin, subject) == 200  # the other process has seen it valid
    headers = {"X-Auth-Token": admin, "X-Subject-Token": subject}
    resp = httpx.delete(f"{cloud.auth_url}/auth/tokens", headers=headers, timeout=30)
    assert resp.status_code == 204
    _refused_within(other, admin, subject)
    image_list = httpx.get(
        f"{other.removesuffix('/identity/v3')}/image/v2/images", headers={"X-Auth-Token": subject}
    )
    assert image_list.status_code == 401
    assert _validate(other, admin, cloud.admin_token()) == 200  # later tokens stay valid


def test_password_change_on_one_process_revokes_tokens_on_the_other(two_apis) -> None:  # noqa: ANN001
    cloud, other = two_apis
    user = cloud.new_project_user()
    subject, admin = user.token(), cloud.admin_token()
    assert _validate(other, admin, subject) == 200
    body = {"user": {"original_password": user.password, "password": "a-new-pass-42"}}
    resp = httpx.post(
        f"{cloud.auth_url}/users/{user.user_id}/password",
        json=body,
        headers={"X-Auth-Token": subject},
        timeout=30,
    )
    assert resp.status_code == 204, resp.text
    _refused_within(other, admin, subject)
    fresh = cloud.token(user.user_name, "a-new-pass-42", user.project_name)
    assert _validate(other, admin, fresh) == 200

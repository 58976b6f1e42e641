"""Fixtures of the messaging functional tests: zaqarclient and raw HTTP against a real cloud."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.functional.messaging.zaqar import http_client, keystone_session, new_client_id


@pytest.fixture(scope="session")
def messaging_url(cloud) -> str:  # noqa: ANN001
    """The messaging endpoint of the shared cloud."""
    return cloud.url + "/messaging"


@pytest.fixture(scope="session")
def member(cloud):  # noqa: ANN001, ANN201
    """A member of a fresh project."""
    return cloud.new_project_user()


@pytest.fixture(scope="session")
def zaqar(cloud, messaging_url, member):  # noqa: ANN001, ANN201
    """python-zaqarclient over HTTP as the member."""
    sess = keystone_session(cloud.auth_url, member.user_name, member.password, member.project_name)
    return http_client(messaging_url, sess)


@pytest.fixture
def queue_name() -> str:
    """A fresh queue name."""
    return f"q-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def member_token(member) -> str:  # noqa: ANN001
    """A token of the member."""
    return member.token()


@pytest.fixture
def raw(messaging_url, member_token) -> Iterator[httpx.Client]:  # noqa: ANN001
    """An HTTP client sending the member's token and a Client-ID."""
    headers = {"X-Auth-Token": member_token, "Client-ID": new_client_id()}
    with httpx.Client(base_url=messaging_url, headers=headers, timeout=30) as client:
        yield client

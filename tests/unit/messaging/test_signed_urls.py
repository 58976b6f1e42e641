"""Pre-signed URL signatures."""

from __future__ import annotations

import pytest

from kilocloud.core.errors import NotFound
from kilocloud.messaging.service.signed_urls import SignedURLs


def headers(grant: dict) -> dict[str, str]:
    return {
        "x-project-id": grant["project"],
        "url-expires": grant["expires"],
        "url-methods": ",".join(grant["methods"]),
        "url-paths": ",".join(grant["paths"]),
        "url-signature": grant["signature"],
    }


@pytest.fixture
def signer() -> SignedURLs:
    return SignedURLs(b"k" * 32, policy=None)  # type: ignore[arg-type]


def test_grant_verifies_for_its_paths_and_methods(signer: SignedURLs) -> None:
    grant = signer.grant("p1", ["/v2/queues/q/messages"], ["GET"])
    assert signer.verify(headers(grant), "GET", "/v2/queues/q/messages") == "p1"
    assert signer.verify(headers(grant), "GET", "/v2/queues/q/messages/abc") == "p1"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v2/queues/q/messages"),
        ("GET", "/v2/queues/q/messagesX"),
        ("GET", "/v2/queues/r/messages"),
    ],
)
def test_grant_covers_nothing_else(signer: SignedURLs, method: str, path: str) -> None:
    grant = signer.grant("p1", ["/v2/queues/q/messages"], ["GET"])
    with pytest.raises(NotFound):
        signer.verify(headers(grant), method, path)


def test_changed_project_or_key_breaks_the_signature(signer: SignedURLs) -> None:
    grant = signer.grant("p1", ["/v2/queues/q/messages"], ["GET"])
    with pytest.raises(NotFound):
        signer.verify(headers(grant) | {"x-project-id": "p2"}, "GET", "/v2/queues/q/messages")
    with pytest.raises(NotFound):
        SignedURLs(b"other", None).verify(headers(grant), "GET", "/v2/queues/q/messages")  # type: ignore[arg-type]

"""The form a validated token takes in memcached, shared by every API process."""

from __future__ import annotations

import dataclasses

import orjson

from kilocloud.identity.fernet import TokenPayload
from kilocloud.identity.service.token_body import Rendered


def dumps(payload: TokenPayload, rendered: Rendered) -> bytes:
    """Serialize a validated token."""
    return orjson.dumps(
        {
            "payload": dataclasses.asdict(payload),
            "body": rendered.body,
            "project_id": rendered.project_id,
            "domain_ids": sorted(rendered.domain_ids),
            "role_ids": sorted(rendered.role_ids),
        }
    )


def loads(raw: bytes) -> tuple[TokenPayload, Rendered]:
    """The validated token `dumps` serialized."""
    data = orjson.loads(raw)
    rendered = Rendered(
        body=data["body"],
        project_id=data["project_id"],
        domain_ids=frozenset(data["domain_ids"]),
        role_ids=frozenset(data["role_ids"]),
    )
    return TokenPayload(**data["payload"]), rendered

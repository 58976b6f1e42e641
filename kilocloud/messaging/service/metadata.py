"""Queue metadata: the reserved attributes' defaults and Zaqar's JSON patch on /metadata/<key>."""

from __future__ import annotations

from typing import Any

from kilocloud.messaging.errors import InvalidBody, ResourceConflict

PATCH_OPS = ("add", "remove", "replace")
DEAD_LETTER_KEYS = ("_dead_letter_queue", "_dead_letter_queue_messages_ttl", "_max_claim_count")


def reserved(opts: Any, kind: str = "queues") -> dict[str, Any]:
    """The reserved attributes a queue (or topic) has even when nobody set them."""
    keys = {
        "_max_messages_post_size": opts.max_messages_post_size,
        "_default_message_ttl": opts.default_message_ttl,
        "_default_message_delay": opts.default_message_delay,
    }
    if kind == "queues":
        keys |= dict.fromkeys(DEAD_LETTER_KEYS) | {"_enable_encrypt_messages": False}
    return keys


def shown(meta: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The metadata as the HTTP API shows it: reserved attributes unset or empty take defaults."""
    out = dict(meta)
    for key, value in defaults.items():
        if not out.get(key):
            out[key] = value
    return out


def patched(
    meta: dict[str, Any], ops: list[tuple[str, str, Any]], defaults: dict[str, Any]
) -> dict[str, Any]:
    """`meta` after the checked patch; a reserved attribute may be replaced or removed unset."""
    new = dict(meta)
    for op, key, value in ops:
        if op == "add":
            new[key] = value
        elif op == "replace":
            if key not in new and key not in defaults:
                raise ResourceConflict(f"Can not replace {key}: the queue has no such metadata.")
            new[key] = value
        elif key in new:
            del new[key]
        elif key not in defaults:
            raise ResourceConflict(f"Can not remove {key}: the queue has no such metadata.")
    return new


def checked(patch: Any) -> list[tuple[str, str, Any]]:
    """The patch as (op, key, value) if every operation is add/remove/replace on /metadata/<key>."""
    if not isinstance(patch, list):
        raise InvalidBody("Request body must be a JSON array of patch operations.")
    out = []
    for op in patch:
        if not isinstance(op, dict) or op.get("op") not in PATCH_OPS:
            raise InvalidBody("Each patch operation must have an op of add, remove or replace.")
        if op["op"] != "remove" and "value" not in op:
            raise InvalidBody("Missing value in an add or replace operation.")
        out.append((op["op"], _key(op.get("path")), op.get("value")))
    return out


def _key(path: Any) -> str:
    parts = path.strip().split("/") if isinstance(path, str) else []
    if len(parts) != 3 or parts[:2] != ["", "metadata"] or not parts[2].strip():
        raise InvalidBody("The path of a patch operation must be /metadata/<name>.")
    return parts[2].replace("~1", "/").replace("~0", "~").strip()

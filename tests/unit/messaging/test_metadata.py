"""Queue metadata rules: reserved defaults and the /metadata/<key> patch."""

from __future__ import annotations

import types

import pytest

from kilocloud.messaging.errors import InvalidBody, ResourceConflict
from kilocloud.messaging.service import metadata

OPTS = types.SimpleNamespace(
    max_messages_post_size=262144, default_message_ttl=3600, default_message_delay=0
)
QUEUE = metadata.reserved(OPTS)


def test_topics_have_no_dead_letter_attributes() -> None:
    assert set(metadata.reserved(OPTS, "topics")) == {
        "_max_messages_post_size",
        "_default_message_ttl",
        "_default_message_delay",
    }
    assert QUEUE["_enable_encrypt_messages"] is False and QUEUE["_max_claim_count"] is None


def test_shown_fills_only_unset_or_empty_reserved_attributes() -> None:
    shown = metadata.shown({"_default_message_ttl": 90, "_default_message_delay": 0}, QUEUE)
    assert shown["_default_message_ttl"] == 90
    assert shown["_max_messages_post_size"] == 262144


def test_replace_of_unset_reserved_attribute_is_allowed() -> None:
    ops = metadata.checked([{"op": "replace", "path": "/metadata/_max_claim_count", "value": 2}])
    assert metadata.patched({}, ops, QUEUE) == {"_max_claim_count": 2}


@pytest.mark.parametrize("op", ["replace", "remove"])
def test_change_of_missing_ordinary_key_conflicts(op: str) -> None:
    ops = metadata.checked([{"op": op, "path": "/metadata/x", "value": 1}])
    with pytest.raises(ResourceConflict):
        metadata.patched({"a": 1}, ops, QUEUE)


def test_escaped_pointer_names_one_key() -> None:
    ops = metadata.checked([{"op": "add", "path": "/metadata/a~1b~0c", "value": 1}])
    assert metadata.patched({}, ops, QUEUE) == {"a/b~c": 1}


@pytest.mark.parametrize(
    "patch",
    [
        {"op": "add"},
        [{"op": "move", "path": "/metadata/a", "value": 1}],
        [{"op": "add", "path": "/metadata/a"}],
        [{"op": "add", "path": "/metadata/a/b", "value": 1}],
        [{"op": "remove", "path": "/name"}],
        [{"op": "remove", "path": 5}],
    ],
)
def test_malformed_patches_are_400(patch: object) -> None:
    with pytest.raises(InvalidBody):
        metadata.checked(patch)

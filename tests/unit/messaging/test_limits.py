"""Zaqar's validation rules."""

from __future__ import annotations

import types

import pytest

from kilocloud.messaging.errors import InvalidBody, InvalidRequest, MissingHeader
from kilocloud.messaging.service import limits

OPTS = types.SimpleNamespace(
    client_id_uuid_safe="strict",
    min_length_client_id=20,
    max_length_client_id=300,
    max_message_ttl=1209600,
    max_message_delay=900,
    max_messages_post_size=262144,
    max_queue_metadata=65536,
)


@pytest.mark.parametrize("name", ["a", "A_b-9", "x" * 64])
def test_good_queue_names(name: str) -> None:
    assert limits.queue_name(name) == name


@pytest.mark.parametrize("name", ["", "x" * 65, "a b", "a.b", "é"])
def test_bad_queue_names(name: str) -> None:
    with pytest.raises(InvalidRequest):
        limits.queue_name(name)


def test_client_id_required_and_uuid_when_strict() -> None:
    with pytest.raises(MissingHeader):
        limits.client_id(None, OPTS)
    with pytest.raises(InvalidRequest):
        limits.client_id("x" * 30, OPTS)
    relaxed = types.SimpleNamespace(**{**vars(OPTS), "client_id_uuid_safe": "off"})
    assert limits.client_id("x" * 30, relaxed) == "x" * 30
    with pytest.raises(InvalidRequest):
        limits.client_id("short", relaxed)


def test_integers_accept_digit_strings_but_not_bools() -> None:
    assert limits.integer("61", "ttl", 60, 100) == 61
    with pytest.raises(InvalidRequest):
        limits.integer(True, "ttl", 0, 100)
    with pytest.raises(InvalidRequest):
        limits.integer(101, "ttl", 0, 100)


@pytest.mark.parametrize(
    "meta",
    [
        {"_default_message_ttl": 10},
        {"_default_message_delay": 1000},
        {"_max_messages_post_size": 10**9},
        {"_dead_letter_queue": "no spaces"},
        {"_max_claim_count": -1},
    ],
)
def test_reserved_metadata_is_checked(meta: dict) -> None:
    with pytest.raises(InvalidRequest):
        limits.queue_metadata(meta, OPTS, 10)


def test_metadata_size_is_capped() -> None:
    with pytest.raises(InvalidRequest):
        limits.queue_metadata({}, OPTS, 65537)


@pytest.mark.parametrize("value", ["60", 60.0, True, None, [60]])
def test_body_fields_must_be_json_integers(value: object) -> None:
    with pytest.raises(InvalidBody):
        limits.field(value, "ttl", 60, 3600)


def test_query_parameters_may_be_digit_strings() -> None:
    assert limits.integer("60", "limit", 1, 100) == 60

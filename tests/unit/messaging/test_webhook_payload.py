"""Webhook bodies: the message, or post_data with the message in its template."""

from __future__ import annotations

import json

from kilocloud.messaging.delivery.webhook import payload

MESSAGE = {"id": "m1", "body": {"a": 1}, "queue_name": "q"}


def test_plain_payload_is_the_message() -> None:
    assert json.loads(payload(MESSAGE, {})) == MESSAGE


def test_template_object_embeds_the_message() -> None:
    body = payload(MESSAGE, {"post_data": {"event": "$zaqar_message$", "src": "kc"}})
    assert json.loads(body) == {"event": MESSAGE, "src": "kc"}


def test_template_string_embeds_the_message() -> None:
    body = payload(MESSAGE, {"post_data": '{"wrapped": $zaqar_message$}'})
    assert json.loads(body) == {"wrapped": MESSAGE}

"""URLs in log lines lose their userinfo and query values, nothing else."""

from __future__ import annotations

import logging

import pytest

from kilocloud.core.redaction import RedactURLs, redact


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            'HTTP Request: POST http://user:PASSWORD@h:81/p?token=SECRET&a=1 "HTTP/1.1 200 OK"',
            'HTTP Request: POST http://***@h:81/p?token=***&a=*** "HTTP/1.1 200 OK"',
        ),
        ("to trust+https://u:p@h/x?SECRET.", "to trust+https://***@h/x?***"),
        ("GET /v2/images?limit=3 200", "GET /v2/images?limit=3 200"),
        ("https://h/a#frag", "https://h/a#frag"),
    ],
)
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_filter_rewrites_the_formatted_message() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, "", 0, "POST %s", ("http://a:b@h/?k=v",), None
    )
    RedactURLs().filter(record)
    assert record.getMessage() == "POST http://***@h/?k=***"

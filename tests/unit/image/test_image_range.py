"""Range and legacy Content-Range request headers of image downloads."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from kilocloud.core.errors import BadRequest, RangeNotSatisfiable
from kilocloud.image.api.image_data import _requested_span


def _request(**headers: str) -> Request:
    raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "headers": raw})


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=90-", (90, 99)),
        ("bytes=-5", (95, 99)),
        ("bytes=50-500", (50, 99)),
        ("bytes=-500", (0, 99)),
        ("Bytes=0-5", (0, 5)),
        ("bytes = 0 - 5", (0, 5)),
        ("BYTES=7-", (7, 99)),
    ],
)
def test_range_forms(header, span):
    assert _requested_span(_request(range=header), 100) == span


def test_no_range_is_whole_file():
    assert _requested_span(_request(), 100) is None


def test_legacy_content_range_request_header():
    assert _requested_span(_request(content_range="bytes 10-19/100"), 100) == (10, 19)


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=9-3", "pages=1-2", "bytes=-", "bytes=x-1"])
def test_unsatisfiable_ranges(header):
    with pytest.raises(RangeNotSatisfiable) as caught:
        _requested_span(_request(range=header), 100)
    assert caught.value.headers["Content-Range"] == "bytes */100"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=0-5,", "bytes=,0-5"])
def test_more_than_one_range_is_a_bad_request(header):
    with pytest.raises(BadRequest, match="one range"):
        _requested_span(_request(range=header), 100)

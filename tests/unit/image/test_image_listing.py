"""Parsing of GET /v2/images parameters."""

from __future__ import annotations

import pytest

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest
from kilocloud.image.service import listing
from kilocloud.opts import load_conf

CTX = RequestContext(request_id="r", user_id="u", project_id="p", roles=["member"])


@pytest.fixture(scope="module")
def conf():
    return load_conf([], {"limit_param_default": 25, "api_limit_max": 100})


def test_defaults_sort_newest_first_with_id_tiebreak(conf):
    query = listing.parse([], CTX, conf)
    assert query.limit == 25 and query.marker is None
    assert query.sort == [("created_at", "desc"), ("id", "desc")]


def test_limit_is_capped_at_api_limit_max(conf):
    assert listing.parse([("limit", "5000")], CTX, conf).limit == 100


def test_sort_parameter_with_directions(conf):
    query = listing.parse([("sort", "name:asc,size")], CTX, conf)
    assert query.sort == [("name", "asc"), ("size", "desc"), ("id", "desc")]


def test_sort_key_and_dir_pairs(conf):
    params = [("sort_key", "name"), ("sort_key", "size"), ("sort_dir", "asc"), ("sort_dir", "desc")]
    assert listing.parse(params, CTX, conf).sort == [
        ("name", "asc"),
        ("size", "desc"),
        ("id", "desc"),
    ]


@pytest.mark.parametrize(
    "params",
    [
        [("limit", "-1")],
        [("limit", "ten")],
        [("sort_key", "colour")],
        [("sort_dir", "sideways")],
        [("sort", "name:asc"), ("sort_key", "name")],
        [
            ("sort_key", "a"),
            ("sort_key", "b"),
            ("sort_dir", "asc"),
            ("sort_dir", "asc"),
            ("sort_dir", "asc"),
        ],
        [("visibility", "secret")],
        [("member_status", "maybe")],
        [("protected", "perhaps")],
        [("os_hidden", "2")],
        [("size_min", "four")],
        [("size_max", "²")],
        [("name", "gte:a")],
        [("protected", "yes")],
        [("created_at", "gt:yesterday")],
        [("name", "in:a,,b")],
    ],
)
def test_malformed_parameters_are_bad_requests(conf, params):
    with pytest.raises(BadRequest):
        listing.parse(params, CTX, conf)


def test_unknown_parameters_become_property_filters(conf):
    query = listing.parse([("hw_disk_bus", "scsi")], CTX, conf)
    assert "image_properties" in str(query.filters[-1])

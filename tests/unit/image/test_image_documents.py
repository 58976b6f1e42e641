"""Versions, schemas, sizes and error bodies: the small pure pieces of the image API."""

from __future__ import annotations

import pytest

from kilocloud.core.errors import BadRequest, Forbidden, NotFound, TooLarge
from kilocloud.image import errors, schemas
from kilocloud.image.api import versions
from kilocloud.image.config import parse_size
from kilocloud.image.service.validation import EntityValidator
from kilocloud.opts import load_conf


@pytest.fixture(scope="module")
def conf():
    return load_conf([], {"image_property_quota": 2, "image_tag_quota": 1})


def test_versions_list_only_what_is_served_the_newest_current():
    plain = versions.document("http://h/image", multistore=False)["versions"]
    assert plain[0] == {
        "id": "v2.12",
        "status": "CURRENT",
        "links": [{"rel": "self", "href": "http://h/image/v2/"}],
    }
    assert [v["id"] for v in plain] == [
        "v2.12", "v2.11", "v2.9", "v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0"
    ]  # fmt: skip
    assert all(v["status"] == "SUPPORTED" for v in plain[1:])


def test_multistore_adds_stores_info_store_deletion_and_stores_detail():
    multi = versions.document("http://h/image", multistore=True)["versions"]
    ids = [v["id"] for v in multi]
    assert ids[:5] == ["v2.15", "v2.12", "v2.11", "v2.10", "v2.9"] and "v2.8" in ids
    assert multi[0]["status"] == "CURRENT"
    assert not {"v2.13", "v2.14", "v2.16", "v2.17"} & set(ids)


@pytest.mark.parametrize(
    ("text", "size"), [("0", 0), ("512", 512), ("10KB", 10240), ("2 GB", 2 << 30), ("1TB", 1 << 40)]
)
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_image_schema_lists_configured_formats_and_read_only_fields(conf):
    schema = schemas.image_schema(conf)
    assert "qcow2" in schema["properties"]["disk_format"]["enum"]
    assert None in schema["properties"]["disk_format"]["enum"]
    assert schema["properties"]["status"]["readOnly"] is True
    assert schema["additionalProperties"] == {"type": "string"}


def test_validator_uses_the_served_schema(conf):
    validator = EntityValidator(conf)
    validator.check({"name": "ok", "disk_format": "raw", "tags": ["a"], "x": "1"})
    with pytest.raises(BadRequest, match="floppy"):
        validator.check({"disk_format": "floppy"})
    with pytest.raises(BadRequest):
        validator.check({"x": 1})


def test_validator_enforces_property_and_tag_quotas(conf):
    validator = EntityValidator(conf)
    with pytest.raises(TooLarge):
        validator.check({"a": "1", "b": "2", "c": "3"})
    with pytest.raises(TooLarge):
        validator.check({"tags": ["a", "b"]})


def test_error_body_and_page():
    assert errors.body(NotFound("gone")) == {
        "code": "404 Not Found",
        "title": "Not Found",
        "message": "gone",
    }
    page = errors.page(Forbidden("no <way>"))
    assert "<h1>403 Forbidden</h1>" in page and "no &lt;way&gt;" in page
    assert errors.plain(NotFound("gone")) == "404 Not Found\n\ngone\n\n   "


@pytest.mark.parametrize(
    ("accept", "form"),
    [
        (None, "text/plain"),
        ("", "text/plain"),
        ("*/*", "text/html"),
        ("text/plain", "text/plain"),
        ("image/png", "text/plain"),
        ("application/json", "application/json"),
        ("APPLICATION/JSON", "application/json"),
        ("application/*", "application/json"),
        ("text/*", "text/html"),
        ("application/json, text/html", "text/html"),
        ("text/html;q=0.5, application/json", "application/json"),
        ("application/json;q=0.9, */*;q=0.1", "application/json"),
        ("*/*;q=0.2, application/json;q=0.1", "text/html"),
        ("text/*;q=0.3, */*;q=0.5", "application/json"),
        ("text/html;level=1, application/json", "application/json"),
        ("application/json; charset=utf-8", "text/plain"),
        ("application/json;q=0", "text/plain"),
        ("*/*;q=0", "text/plain"),
        ("garbage;;", "text/html"),
        ("text/html;q=abc", "text/html"),
    ],
)
def test_error_form_follows_accept_as_webob_does(accept, form):
    assert errors.preferred(accept) == form

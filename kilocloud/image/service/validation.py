"""Checks of a whole image entity: the served schema, quotas on properties and tags."""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError
from oslo_config import cfg

from kilocloud.core.errors import BadRequest, TooLarge
from kilocloud.core.jsonschemas import SchemaChecker, refuse_nul, where
from kilocloud.image import schemas
from kilocloud.image.service.records import CORE

MAX_VALUE_BYTES = 65535  # a TEXT column on MariaDB


class EntityValidator:
    """Validates image dicts against the schema /v2/schemas/image serves."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        self._checker = SchemaChecker(schemas.image_schema(conf))

    def check(self, entity: dict[str, Any]) -> None:
        """400 when `entity` breaks the schema, 413 when it has too many properties or tags."""
        self._checker.check(entity, _explain)
        extra = [k for k in entity if k not in CORE and k not in _OTHER_FIELDS]
        for key in extra:
            if len(key) > 255:
                raise BadRequest(f"Property name too long: {key[:32]}...")
            if not key or key != key.strip():
                # a JSON patch pointer is trimmed, as Glance trims it: such a name could never
                # be replaced nor removed again
                raise BadRequest(f"Property name {key!r} is empty or starts or ends with a space.")
            if len(entity[key].encode()) > MAX_VALUE_BYTES:
                raise BadRequest(f"Value of property {key} is longer than {MAX_VALUE_BYTES} bytes.")
        refuse_nul(
            [entity.get("name"), *extra, *(entity[k] for k in extra), *entity.get("tags", [])]
        )
        _quota(len(extra), self.conf.image_property_quota, "properties")
        tags = entity.get("tags") or []
        _quota(len(set(tags)), self.conf.image_tag_quota, "tags")


def _explain(error: ValidationError) -> str:
    at = where(error)
    return f"Provided object does not match schema 'image': {error.message}" + (
        f" (at {at})" if at else ""
    )


def _quota(count: int, limit: int, what: str) -> None:
    if 0 <= limit < count:
        raise TooLarge(f"Maximum number of {what} exceeded: {count} of {limit} allowed.")


_OTHER_FIELDS = frozenset({"created_at", "updated_at", "tags", "stores"})

"""JSON schema checks: compiled code for the common case, jsonschema's words for a failure.

jsonschema walks the schema for every document (about 130 us for an image); fastjsonschema
compiles it to plain Python once (about 4 us). A document the compiled check refuses is then
judged by jsonschema, so error messages stay the ones clients have always seen.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import fastjsonschema
import jsonschema


class SchemaChecker:
    """Checks documents against one draft-4 schema."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._full = jsonschema.Draft4Validator(schema)

    @cached_property
    def _fast(self) -> Any:
        # compiled on first use: a few ms that start-up need not pay
        return fastjsonschema.compile(self.schema)

    def error(self, document: Any) -> jsonschema.ValidationError | None:
        """The most relevant way `document` breaks the schema, or None when it matches."""
        try:
            self._fast(document)
        except fastjsonschema.JsonSchemaException:
            return jsonschema.exceptions.best_match(self._full.iter_errors(document))
        return None

"""The one JSON schema checker: compiled code for the common case, jsonschema's words for a failure.

jsonschema walks the schema for every document (about 130 us for an image); fastjsonschema
compiles it to plain Python once (about 4 us). A document the compiled check refuses is then
judged by jsonschema, so error messages stay the ones clients have always seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

import fastjsonschema
import jsonschema

from kilocloud.core.errors import BadRequest

Explain = Callable[[jsonschema.ValidationError], str]


class SchemaChecker:
    """Checks documents against one draft-4 schema, built once per schema."""

    def __init__(self, schema: dict[str, Any], formats: Iterable[str] = ()) -> None:
        self.schema = schema
        self._formats = bool(formats)
        checker = jsonschema.FormatChecker(list(formats)) if formats else None
        self._full = jsonschema.Draft4Validator(schema, format_checker=checker)

    @cached_property
    def _fast(self) -> Any:
        # compiled on first use: a few ms that start-up need not pay; a check fills in no defaults
        return fastjsonschema.compile(self.schema, use_default=False, use_formats=self._formats)

    def error(self, document: Any) -> jsonschema.ValidationError | None:
        """The most relevant way `document` breaks the schema, or None when it matches."""
        try:
            self._fast(document)
        except fastjsonschema.JsonSchemaException:
            return jsonschema.exceptions.best_match(self._full.iter_errors(document))
        return None

    def check(self, document: Any, explain: Explain) -> Any:
        """`document` when it matches; else a 400 whose message `explain` words."""
        error = self.error(document)
        if error is not None:
            raise BadRequest(explain(error))
        return document


def where(error: jsonschema.ValidationError) -> str:
    """The path of the failing value, as "a/b/0"."""
    return "/".join(str(p) for p in error.absolute_path)


def refuse_nul(value: Any) -> None:
    """400 for NUL anywhere in a document's strings or keys: PostgreSQL cannot store it in text."""
    if isinstance(value, str):
        if "\x00" in value:
            raise BadRequest("Strings may not contain NUL characters.")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key)
            refuse_nul(item)
    elif isinstance(value, list | tuple):
        for item in value:
            refuse_nul(item)

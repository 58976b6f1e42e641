from kilocloud.core.jsonschemas import SchemaChecker

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": ["null", "string"], "maxLength": 8},
        "disk_format": {"enum": ["raw", "qcow2"]},
    },
    "additionalProperties": {"type": "string"},
}


def test_matching_document_has_no_error() -> None:
    assert SchemaChecker(SCHEMA).error({"name": "cirros", "disk_format": "raw", "x": "y"}) is None


def test_failure_is_described_by_jsonschema() -> None:
    error = SchemaChecker(SCHEMA).error({"name": "a-much-too-long-name"})
    assert error is not None
    assert error.message == "'a-much-too-long-name' is too long"
    assert list(error.absolute_path) == ["name"]


def test_most_relevant_of_several_errors_is_chosen() -> None:
    error = SchemaChecker(SCHEMA).error({"disk_format": "vhdx", "extra": 5})
    assert error is not None
    assert error.validator in ("enum", "type")

import pytest

from kilocloud.core.errors import BadRequest
from kilocloud.core.jsonschemas import SchemaChecker, refuse_nul

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
    assert (error.validator, list(error.absolute_path)) == ("type", ["extra"])


def test_check_words_the_failure_as_the_service_asks() -> None:
    with pytest.raises(BadRequest, match="^name: 'a-much-too-long-name' is too long$"):
        SchemaChecker(SCHEMA).check(
            {"name": "a-much-too-long-name"}, lambda e: f"name: {e.message}"
        )


def test_regex_format_is_checked_only_when_asked() -> None:
    schema = {"type": "object", "properties": {"p": {"type": "string", "format": "regex"}}}
    assert SchemaChecker(schema).error({"p": "("}) is None
    assert SchemaChecker(schema, formats=["regex"]).error({"p": "("}).validator == "format"


@pytest.mark.parametrize("document", ["a\x00b", {"k\x00": "v"}, {"k": ["v\x00"]}])
def test_nul_anywhere_in_a_document_is_refused(document) -> None:
    with pytest.raises(BadRequest, match="NUL"):
        refuse_nul(document)


def test_check_leaves_the_document_as_it_was() -> None:
    document: dict = {}
    SchemaChecker({"properties": {"x": {"type": "string", "default": "d"}}}).check(document, str)
    assert document == {}

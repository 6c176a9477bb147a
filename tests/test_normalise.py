"""Normalised forms (index and query) and masked previews (DESIGN.md "Normalisation")."""

import pytest

from detectors.normalise import QUERY_KINDS, index_forms, mask, query_forms


@pytest.mark.parametrize(
    "query",
    ["SMITH, Jane", "Jane Smith", "Mrs Jane A. Smith", "jane smith", "Jané Smith", "  Dr. JANE   SMITH "],
)
def test_name_forms_match(query):
    assert query_forms("name", query) == ["name:jane smith"]


def test_indexed_middle_name_is_found_by_first_and_last():
    forms = index_forms("PERSON", "Jane Anne Smith")
    assert "name:anne jane smith" in forms and "name:jane smith" in forms
    assert set(query_forms("name", "Jane Smith")) & set(forms)


def test_surname_first_with_middle_name():
    assert set(query_forms("name", "Jane Smith")) & set(index_forms("PERSON", "SMITH, Jane Anne"))


def test_query_with_middle_name_finds_first_and_surname():
    assert set(query_forms("name", "Jane Anne Smith")) & set(index_forms("PERSON", "Jane Smith"))


def test_surname_first_does_not_key_the_middle_name_as_first_name():
    assert "name:anne smith" not in index_forms("PERSON", "SMITH, Jane Anne")


def test_different_people_do_not_match():
    assert not set(query_forms("name", "Jane Smith")) & set(index_forms("PERSON", "John Smith"))


@pytest.mark.parametrize(
    "query", ["(01482) 420150", "+44 (0)1482 420 150", "+441482420150", "01482-420-150", "0044 1482 420150"]
)
def test_phone_forms_match(query):
    assert query_forms("phone", query) == ["phone:+441482420150"]
    assert index_forms("PHONE_NUMBER", query) == ["phone:+441482420150"]


def test_email_casefolded_and_trimmed():
    assert query_forms("email", " Jane.Smith@X.co.uk ") == index_forms("EMAIL_ADDRESS", "jane.smith@x.CO.UK")


@pytest.mark.parametrize(
    "kind, value, form",
    [
        ("postcode", "hu13 0gd", "postcode:HU130GD"),
        ("nino", "ab 12 34 56 c", "nino:AB123456C"),
        ("nhs", "943-476-5919", "nhs:9434765919"),
    ],
)
def test_compact_forms(kind, value, form):
    assert query_forms(kind, value) == [form]


@pytest.mark.parametrize(
    "kind, value",
    [
        ("phone", "not a number"),
        ("phone", ""),
        ("name", "  "),
        ("name", "Mr."),
        ("email", "jane.smith"),
        ("postcode", "12345"),
        ("nino", "hello"),
        ("nhs", "12345"),
        ("shoe size", "9"),
    ],
)
def test_bad_queries_raise_one_line_value_error(kind, value):
    with pytest.raises(ValueError) as error:
        query_forms(kind, value)
    assert "\n" not in str(error.value) and str(error.value)
    assert value.strip() == "" or value not in str(error.value)  # never echo the identifier back


def test_query_kinds():
    assert QUERY_KINDS == ("name", "email", "phone", "postcode", "nino", "nhs")


def test_index_forms_empty_when_not_normalisable():
    assert index_forms("PHONE_NUMBER", "abc") == [] and index_forms("PERSON", "123") == []


@pytest.mark.parametrize(
    "entity, value, masked",
    [
        ("EMAIL_ADDRESS", "jane@example.co.uk", "j***@example.co.uk"),
        ("PERSON", "Jane Smith", "J*** S****"),
        ("PHONE_NUMBER", "01482420150", "0148*****50"),
    ],
)
def test_mask_examples(entity, value, masked):
    assert mask(entity, value) == masked


@pytest.mark.parametrize(
    "entity, value",
    [
        ("UK_NINO", "AB123456C"),
        ("UK_NHS", "9434765919"),
        ("CREDIT_CARD", "4111111111111111"),
        ("PERSON", "Jane Smith"),
        ("EMAIL_ADDRESS", "jane.smith@example.co.uk"),
        ("UK_POSTCODE", "HU13 0GD"),
    ],
)
def test_mask_never_reveals_most_of_the_value(entity, value):
    shown = sum(1 for a, b in zip(mask(entity, value), value) if a == b and a.isalnum())
    secret = value.split("@")[0] if "@" in value else value
    assert shown <= max(2, len(secret) // 2)
    assert mask(entity, value) != value

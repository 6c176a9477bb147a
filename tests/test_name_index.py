"""The name index (detectors/name_index.py): every written form keys as the query does; decoys never do."""
from __future__ import annotations

import pytest

from detectors.loose_names import loose_forms
from detectors.name_index import name_index, pair_forms
from detectors.normalise import query_forms


def keyed_forms(text: str) -> set[str]:
    return {form for f in name_index(text) for form in pair_forms(f.text)}


def matches(query: str, text: str) -> bool:
    return bool(set(query_forms("name", query)) & keyed_forms(text))


@pytest.mark.parametrize("form, text", [
    ("plain", "Spoke to Funmilayo Oyelaran today."),
    ("surname first", "Oyelaran Funmilayo rang."),
    ("caps", "FUNMILAYO OYELARAN"),
    ("caps surname first", "Bill to:\nOYELARAN FUNMILAYO"),
    ("comma", "Requester: Oyelaran, Funmilayo <f@example.org>"),
    ("caps comma", "Requester: OYELARAN, Funmilayo <f@example.org>"),
    ("comma in a sentence", "Complaint raised by Oyelaran, Funmilayo about the renewal."),
    ("comma and middle initial", "Oyelaran, Funmilayo A. wrote"),
    ("middle initial", "Funmilayo A. Oyelaran"),
    ("middle name", "Funmilayo Adeola Oyelaran"),
    ("title", "Mrs Funmilayo Oyelaran"),
    ("title with a dot", "Dr. Funmilayo Oyelaran"),
    ("line break", "regards from Funmilayo\nOyelaran and the team"),
    ("line break after an initial", "Funmilayo A.\nOyelaran"),
    ("markup", "<forename>Funmilayo</forename><surname>Oyelaran</surname>"),
    ("html entities", "<p>&nbsp;Funmilayo&nbsp;Oyelaran</p>"),
    ("table cells", "4411\tFunmilayo\tOyelaran\t12 High Street"),
    ("strong tag", "<strong>OYELARAN, Funmilayo</strong>"),
])
def test_every_written_form_matches_the_query(form, text):
    assert matches("Funmilayo Oyelaran", text), form


@pytest.mark.parametrize("query, text", [
    ("Siân Pritchard", "SIAN PRITCHARD"),
    ("Sian Pritchard", "Siân Pritchard"),
    ("Łukasz Zięcik", "Lukasz Ziecik"),
    ("Seán O'Brien", "SEAN O’BRIEN"),
    ("Anna Smith-Jones", "Smith-Jones, Anna"),
    ("Willemine ten Pas", "Mevrouw Willemine ten Pas"),
    ("Jan van Dijk", "Requester: van Dijk, Jan"),
    ("Leslie Ó Céilleachair", "Spoke to Ó Céilleachair, Leslie"),
    ("Derick Mac Laithimh", "7587 | MAC LAITHIMH, Derick | agent"),
    ("Derick Mac Laithimh", "Meeting with Derick\nMac Laithimh about"),
    ("Jacqueline de Lása", "DE LÁSA, Jacqueline"),
    ("Rachit De", "<forename>Rachit</forename><surname>De</surname>"),
    ("Neil Carver", "Carver, Neil R."),
    ("Karl Brandstetter", "Customer: BRANDSTETTER, Karl"),
    ("Devika Rajagopalan", "RAJAGOPALAN, Devika\t12"),
    ("Tomasz Wierzba", "Bill to:\nTOMASZ WIERZBA"),
    ("Grace Okafor", "To: Okafor, Grace; Lindqvist, Peter - COO London"),
    ("Peter Lindqvist", "To: Okafor, Grace; Lindqvist, Peter - COO London"),
    ("Margot Ellwood", "X-To: MARGOT ELLWOOD (E-mail)"),
])
def test_accents_apostrophes_hyphens_particles_and_real_layouts(query, text):
    assert matches(query, text)


@pytest.mark.parametrize("text", [
    "Funmilayo Adeyemi and Grace Oyelaran",       # a decoy for each name
    "OYELARAN, Grace",
    "F. Oyelaran",                                # an initial: loose only
    "Funmilayo\n\n\n\nOyelaran",                  # too far apart
    "Oyelaran Group plc: Funmilayo",              # not one name
])
def test_a_strict_query_never_matches_a_person_sharing_one_name(text):
    assert not matches("Funmilayo Oyelaran", text)


@pytest.mark.parametrize("text, absent", [
    ("Grace Okafor, Peter Lindqvist", "name:okafor peter"),
    ("Jane Smith\nPeter Brown", "name:peter smith"),
    ("Jane Smith\nPeter Brown", "name:brown jane"),
    ("F. Oyelaran\nJane Smith", "name:jane oyelaran"),
    ("<td>Jane Smith</td><td>Peter Brown</td>", "name:peter smith"),
])
def test_neighbouring_people_are_not_paired(text, absent):
    assert absent not in keyed_forms(text)


@pytest.mark.parametrize("text", ["The Annual Report", "LIMITATION OF LIABILITY", "Dear Sir or Madam"])
def test_ordinary_capitalised_words_key_nothing(text):
    assert keyed_forms(text) == set()


def test_initial_forms_are_kept_apart_for_a_loose_query():
    for text in ("F. Oyelaran", "F Oyelaran", "OYELARAN, F."):
        assert keyed_forms(text) == {"initial:f oyelaran"}, text
    assert loose_forms("Funmilayo Oyelaran")[0] == ("initial:f oyelaran", "name~initial")
    assert ("name:bill hart", "name~nickname") in loose_forms("William Hart")

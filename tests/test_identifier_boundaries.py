"""Issue 15: identifiers are keyed bare, whatever the writing software wrapped them in.

Every wrapping below (37) is written into its own file, the tree is scanned for real and each
address must be found by `find --email` with the bare address, in exactly its own file.
Postcodes typed in lower or mixed case are found; near-misses are still rejected.
"""
from __future__ import annotations

import pytest

from core_helpers import cli_json
from detectors.checksums import postcode_typed_valid
from detectors.email_address import bare_email
from detectors.recognizers.uk_postcode_recognizer import UkPostalCodeRecognizer


def soft_break(at: int):
    """The address cut by a quoted-printable soft line break after `at` characters."""
    return lambda a: f"Reply to {a[:at]}=\n{a[at:]} today.\n"


# (case, the text a writer made of the address `a`): at least 30 wrappings.
WRAPPINGS = [
    ("apostrophes", lambda a: f"To: '{a}'\n"),
    ("outlook list, first", lambda a: f"To: '{a}'; 'someone.else@example.net'\n"),
    ("outlook list, last", lambda a: f"Cc: 'someone.else@example.net'; '{a}'\n"),
    ("double quotes", lambda a: f'email "{a}" please\n'),
    ("backticks", lambda a: f"run `notify {a}` or `{a}`\n"),
    ("angle brackets", lambda a: f"Jane Doe <{a}>\n"),
    ("square brackets", lambda a: f"Jane Doe [{a}]\n"),
    ("round brackets", lambda a: f"Jane Doe ({a})\n"),
    ("braces", lambda a: f"{{{a}}}\n"),
    ("pipes", lambda a: f"|{a}|\n"),
    ("mailto:", lambda a: f"mailto:{a}\n"),
    ("MAILTO: upper", lambda a: f"MAILTO:{a}\n"),
    ("<mailto:>", lambda a: f"<mailto:{a}>\n"),
    ("outlook [mailto:]", lambda a: f"From: Jane Doe [mailto:{a}]\nSent: Monday\n"),
    ("html href", lambda a: f'<a href="mailto:{a}">write</a>\n'),
    ("mailto with query", lambda a: f"mailto:{a}?subject=Hello\n"),
    ("QP =3D before href", lambda a: f'<a href=3D"mailto:{a}">write</a>\n'),
    ("QP =3D before address", lambda a: f"addr=3D{a}\n"),
    ("QP soft break in local part", soft_break(3)),
    ("QP soft break before @", lambda a: soft_break(a.index("@"))(a)),
    ("QP soft break after @", lambda a: soft_break(a.index("@") + 1)(a)),
    ("QP soft break in domain", lambda a: soft_break(a.index("@") + 4)(a)),
    ("QP soft break CRLF", lambda a: f"Reply to {a[:5]}=\r\n{a[5:]}\r\n"),
    ("exchange path", lambda a: f"/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
                                f"/cn=Recipients/cn={a}\n"),
    ("exchange path, capitals", lambda a: f"/O=ORG/OU=FIRST ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN={a}\n"),
    ("SMTP: proxy address", lambda a: f"proxyAddresses: SMTP:{a}\n"),
    ("query string", lambda a: f"https://crm.example.net/find?email={a}&page=2\n"),
    ("guillemets", lambda a: f"«{a}»\n"),
    ("curly single quotes", lambda a: f"‘{a}’\n"),
    ("curly double quotes", lambda a: f"“{a}”\n"),
    ("html entities", lambda a: f"&lt;{a}&gt;\n"),
    ("markdown bold", lambda a: f"**{a}**\n"),
    ("sentence end", lambda a: f"Write to {a}.\n"),
    ("comma list", lambda a: f"{a},someone.else@example.net\n"),
    ("tab and CRLF", lambda a: f"email\t{a}\r\n"),
    ("upper case", lambda a: f"EMAIL: '{a.upper()}'\n"),
    ("BATV bounce address", lambda a: f"bounced from prvs=0123abcd={a}\n"),
]


def address(i: int) -> str:
    return f"jane.doe{i}@mail{i}.example.org"


@pytest.fixture(scope="module")
def wrapped_inventory(tmp_path_factory):
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    base = tmp_path_factory.mktemp("wrapped")
    tree = base / "tree"
    tree.mkdir()
    for i, (_, write) in enumerate(WRAPPINGS):
        (tree / f"w{i:02d}.txt").write_bytes(write(address(i)).encode("utf-8"))
    (tree / "outlook.eml").write_bytes(
        b"From: Ann Other <ann.other@example.net>\r\nTo: 'jane.header@example.org'; "
        b"'john.header@example.org'\r\nSubject: fwd\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nSee below.\r\n")
    (tree / "keep.txt").write_text("o'brien@example.org and 3dprint@example.org stay whole\n")
    (tree / "crm-lower.txt").write_text("Customer: 4 Marfleet Lane, hull, hu7 4qt\n")
    (tree / "crm-mixed.txt").write_text("Delivery to Sw1a 1Aa by noon\n")
    (tree / "not-postcodes.txt").write_text("the m1 5th exit, mp3 4gb player, ref hu74qt\n")
    inventory = str(base / "inv")
    config = ScanConfig(inventory=inventory, workers=1, detector=DetectorSettings(use_ner=False))
    assert run_scan([str(tree)], config).status == "completed"
    return inventory, tree


def find(inventory: str, *query: str) -> set[str]:
    return {r["location"].rsplit("/", 1)[1] for r in cli_json(["find", "-i", inventory, "-f", "json", *query])}


def test_every_wrapped_address_is_found_by_the_bare_address(wrapped_inventory):
    """One `find` with every bare address: each file holds only its own address (and, in a few, one
    that is not asked for), so a file is listed only if its wrapping was keyed bare."""
    inventory, _ = wrapped_inventory
    query = [arg for i in range(len(WRAPPINGS)) for arg in ("--email", address(i))]
    found = find(inventory, *query)
    missed = [case for i, (case, _) in enumerate(WRAPPINGS) if f"w{i:02d}.txt" not in found]
    assert missed == [] and found == {f"w{i:02d}.txt" for i in range(len(WRAPPINGS))}


def test_an_outlook_header_list_in_apostrophes_gives_each_bare_address(wrapped_inventory):
    inventory, _ = wrapped_inventory
    assert find(inventory, "--email", "jane.header@example.org") == {"outlook.eml"}
    assert find(inventory, "--email", "john.header@example.org") == {"outlook.eml"}


def test_characters_that_belong_to_an_address_are_kept(wrapped_inventory):
    inventory, _ = wrapped_inventory
    assert find(inventory, "--email", "o'brien@example.org") == {"keep.txt"}
    assert find(inventory, "--email", "3dprint@example.org") == {"keep.txt"}
    assert find(inventory, "--email", "brien@example.org") == set()
    assert find(inventory, "--email", "print@example.org") == set()


def test_postcodes_typed_in_any_case_are_found_by_find(wrapped_inventory):
    inventory, _ = wrapped_inventory
    assert find(inventory, "--postcode", "HU7 4QT") == {"crm-lower.txt"}
    assert find(inventory, "--postcode", "sw1a1aa") == {"crm-mixed.txt"}
    assert find(inventory, "--postcode", "M1 5TH", "--postcode", "MP3 4GB", "--postcode", "HU7 4QT") == {
        "crm-lower.txt"}


@pytest.mark.parametrize("wrapped, bare", [
    ("'jane@x.org'", "jane@x.org"), ("<mailto:Jane@X.org>", "Jane@X.org"), ("=3Djane@x.org", "jane@x.org"),
    ("ja=\r\nne@x.org", "jane@x.org"), ("/o=ORG/ou=A/cn=Recipients/cn=jdoe@x.org", "jdoe@x.org"),
    ("3dprint@x.org", "3dprint@x.org"), ("o'brien@x.org", "o'brien@x.org"), ("no address", "no address"),
])
def test_bare_email(wrapped, bare):
    assert bare_email(wrapped) == bare


def postcodes(text: str) -> list[str]:
    return [text[r.start:r.end] for r in UkPostalCodeRecognizer().find(text)]


@pytest.mark.parametrize("text, expected", [
    ("Address: 12 Hull Road, hu7 4qt", ["hu7 4qt"]),
    ("Hu7 4Qt", ["Hu7 4Qt"]),
    ("hU7 4qT", ["hU7 4qT"]),
    ("HU7 4QT", ["HU7 4QT"]),
    ("HU74QT", ["HU74QT"]),
    ("sw1a 1aa", ["sw1a 1aa"]),
    ("Ec1a 1bb and m1 1ae", ["Ec1a 1bb", "m1 1ae"]),
    ("post code hu74qt", ["hu74qt"]),                  # after "postcode" the space may go
    ("jE2 3ab", ["jE2 3ab"]),                          # a Crown Dependency
    # near-misses
    ("hu74qt", []),                                    # lower case without the space: an identifier
    ("qu13 0gd", []),                                  # no such area (Q never starts one)
    ("xx1 1aa", []),                                   # no such area
    ("hu13 0cd", []),                                  # C is never in an inward code
    ("M1 5th", []), ("b1 2nd", []), ("Se1 3rd", []),   # an ordinal after a code
    ("mp3 4gb", []),                                   # MP is no area
    ("a1 2bc", []),                                    # A is no area
    ("version 1.2 3ab", []),
    ("abc 123", []),
])
def test_postcodes_in_any_case(text, expected):
    assert postcodes(text) == expected


@pytest.mark.parametrize("text, valid", [
    ("hu7 4qt", True), ("Hu7 4Qt", True), ("gir 0aa", False), ("m1 1st", False), ("zz1 1aa", False),
])
def test_postcode_typed_valid(text, valid):
    assert postcode_typed_valid(text) is valid


@pytest.mark.parametrize("text, expected", [
    ("/O=ORG/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=JDOE", []),   # an X.500 path alone: no address
    ("/o=ORG/ou=Exchange/cn=Recipients/cn=jdoe@example.org", ["jdoe@example.org"]),
    ("IMCEAEX-_O=ORG_OU=EXCHANGE_CN=RECIPIENTS_CN=JDOE@example.org", ["JDOE@example.org"]),  # an NDR's path
    ("x =3dprint@example.org", ["print@example.org"]),                        # QP "=3d" in lower case too
    ("jane@localhost", []), ("jane@example.c", []), ("@example.org", []),
])
def test_email_spans(text, expected):
    from detectors.recognizers.email_recognizer import EmailAddressRecognizer

    assert sorted(text[r.start:r.end] for r in EmailAddressRecognizer().find(text)) == expected

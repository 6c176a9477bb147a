"""Work done once that used to be done again and again (issue 16), with the same results: a message's tree
parsed once for its members and its own text, document properties read only from parts that can hold
them, format libraries loaded only where their format is met, each form keyed once per worker."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from builders import explore_path, make_docx, make_eml, make_mbox, make_person
from connectors.containers import rfc822
from connectors.extractors import properties


def _fresh_text(raw: bytes) -> str:
    return rfc822.message_text(BytesParser(policy=policy.default).parsebytes(raw), 10**8).text()


def test_a_message_is_parsed_once_and_reads_as_a_fresh_parse(tmp_path, monkeypatch):
    people = [make_person(n) for n in range(3)]
    plain = make_eml(people[0], message_id="<plain@example.co.uk>")
    with_doc = make_eml(people[1], {"letter.docx": make_docx(f"Dear {people[1].name}\n")},
                        html=f"<p>Dear {people[1].name}</p>", message_id="<doc@example.co.uk>")
    forwarding = make_eml(people[2], {"fwd.eml": plain}, message_id="<fwd@example.co.uk>")
    make_mbox(tmp_path / "box.mbox", [plain, with_doc, forwarding])
    parsed, fresh = Counter(), {}
    real_parse = rfc822.parse

    def counting_parse(blob, ctx):
        parsed[blob.location.uri] += 1
        fresh[blob.location.uri] = _fresh_text(blob.read_all(10**8))   # the text a parse of its own gives
        return real_parse(blob, ctx)

    monkeypatch.setattr(rfc822, "parse", counting_parse)
    seen = explore_path(tmp_path / "box.mbox", tmp_path / "tmp")
    box = str(tmp_path / "box.mbox")
    messages = [f"{box}!/{name}" for name in ("<plain@example.co.uk>", "<doc@example.co.uk>",
                                               "<fwd@example.co.uk>", "<fwd@example.co.uk>!/fwd.eml")]
    for uri, person in zip(messages, people + people[:1]):
        assert seen[uri].status == "ok" and seen[uri].text == fresh[uri] and person.name in seen[uri].text
    assert people[1].name in seen[f"{box}!/<doc@example.co.uk>!/letter.docx"].text
    assert parsed[f"{box}!/<plain@example.co.uk>"] == 1
    assert parsed[f"{box}!/<doc@example.co.uk>"] == 1
    # The attached message was parsed between its parent's members and its parent's text: one more parse.
    assert parsed[f"{box}!/<fwd@example.co.uk>!/fwd.eml"] == 1
    assert parsed[f"{box}!/<fwd@example.co.uk>"] == 2


def _every_pattern(data: bytes) -> list[tuple[str, str]]:
    """What `_values` gave before it skipped patterns: all three run over every part."""
    out = [(properties._LABELS.get(m.group(1), "Author"), properties._decoded(m.group(2)))
           for m in properties._ELEMENTS.finditer(data)]
    return out + [("Author", properties._decoded(m.group(1)))
                  for pattern in (properties._ATTRIBUTES, properties._AUTHOR_NAMES) for m in pattern.finditer(data)]


@pytest.mark.parametrize("part", [
    b"<cp:coreProperties><dc:creator>Jane Smith</dc:creator><cp:lastModifiedBy>Raj Patel</cp:lastModifiedBy>"
    b"</cp:coreProperties>",
    b"<Properties><Manager>Ann Lee</Manager><Company>Acme</Company></Properties>",
    b"<office:meta><meta:initial-creator>Tom Hardy</meta:initial-creator><meta:printed-by>Li Wei</meta:printed-by>",
    b'<w:body><w:ins w:id="1" w:author="Sam Jones" w:date="2024-01-01"><w:r><w:t>x</w:t></w:r></w:ins></w:body>',
    b'<personList><person displayName="Kate Bush" id="{1}"/></personList>',
    b'<p:cmAuthorLst><p:cmAuthor id="0" name="Omar Khan" initials="OK"/></p:cmAuthorLst>',
    b'<p188:authorLst><p188:author id="{2}" name="Eve Adams" initials="EA"/></p188:authorLst>',
    b"<comments><authors><author>Bob Marley</author></authors></comments>",
    b"<w:styles><w:style w:styleId='Normal'><w:name w:val='Normal'/></w:style></w:styles>",
])
def test_properties_skip_only_parts_no_pattern_can_match(part):
    assert list(properties._values(part)) == _every_pattern(part)
    assert _every_pattern(part) or b"styles" in part


def test_a_default_styles_part_holds_no_property_words():
    import zipfile
    from io import BytesIO

    styles = zipfile.ZipFile(BytesIO(make_docx("hello"))).read("word/styles.xml")
    assert len(styles) > 10_000 and _every_pattern(styles) == []
    assert not any(word in styles for word in properties._WORDS)     # so no regex ran over it



def test_format_libraries_load_only_where_their_format_is_met(tmp_path):
    """extract-msg, openpyxl and py7zr cost every worker process ~0.3 s of imports: a mail scan needs none."""
    (tmp_path / "a.eml").write_bytes(make_eml(make_person(1)))
    probe = ("import os, sys; from connectors import Blob, ExploreContext, Limits, Location, explore; "
             f"path = {str(tmp_path / 'a.eml')!r}; "
             f"ctx = ExploreContext(Limits(), {str(tmp_path)!r}); "
             "items = list(explore(Blob(Location(path), os.path.getsize(path), path=path), ctx)); "
             "assert items[-1].mime == 'message/rfc822' and items[-1].extract().text(); "
             "print(sorted(m for m in ('extract_msg', 'openpyxl', 'py7zr') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "[]"


def test_a_kept_key_is_the_hmac_of_its_form_and_the_store_stays_bounded():
    import hashlib
    import hmac

    from scanner.keys import KEY_HEX_CHARS, Keyer

    class Small(Keyer):
        MAX_KEPT = 10

    secret = b"s" * 32
    keyer = Small(secret)
    forms = [f"email:person{n}@example.co.uk" for n in range(25)] + ["name:jane smith", "name:jane smith"]
    fresh = [hmac.new(secret, f.encode(), hashlib.sha256).hexdigest()[:KEY_HEX_CHARS] for f in forms]
    for _ in range(2):
        assert [keyer.key(f) for f in forms] == fresh
    assert 0 < len(keyer._keys) <= Small.MAX_KEPT
    assert Keyer(b"t" * 32).key(forms[0]) != fresh[0]


def test_a_copy_reuses_the_type_sniffed_for_its_content(tmp_path, monkeypatch):
    from connectors import sniff as sniffing

    letter = make_docx(f"Dear {make_person(5).name}, ref {tmp_path.name}\n")   # content no other test has
    for name in ("a.docx", "b.docx", "c.bin"):
        (tmp_path / name).write_bytes(letter)
    (tmp_path / "d.eml").write_bytes(make_eml(make_person(6), message_id=f"<{tmp_path.name}@example.co.uk>"))
    handle, asked = sniffing._magic(), []

    class Counting:
        def from_buffer(self, head):
            asked.append(head)
            return handle.from_buffer(head)

    monkeypatch.setattr(sniffing, "_magic", Counting)
    seen = {}
    for name in ("a.docx", "b.docx", "c.bin", "d.eml"):
        seen.update(explore_path(tmp_path / name, tmp_path / "tmp"))
    mimes = {uri.rsplit("/", 1)[-1]: s.mime for uri, s in seen.items()}
    assert mimes["a.docx"] == mimes["b.docx"] == mimes["c.bin"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert mimes["d.eml"] == "message/rfc822"
    assert len(asked) == 2          # the letter once for its three copies, the message once
    assert all(seen[str(tmp_path / n)].text == seen[str(tmp_path / "a.docx")].text for n in ("b.docx", "c.bin"))


def test_an_outlook_item_is_opened_once_and_closed(tmp_path, monkeypatch):
    import shutil

    import extract_msg

    from core_helpers import OUTLOOK_FIXTURES

    path = tmp_path / "q.msg"
    shutil.copy(Path(OUTLOOK_FIXTURES) / "qwerty_3.msg", path)
    fresh = explore_path(path, tmp_path / "fresh")[str(path)]          # the reference reading
    opened, closed, real_open = [], [], extract_msg.openMsg

    def counting_open(*args, **kwargs):
        msg = real_open(*args, **kwargs)
        real_close = msg.close
        msg.close = lambda: (closed.append(msg), real_close())
        opened.append(msg)
        return msg

    monkeypatch.setattr(extract_msg, "openMsg", counting_open)
    item = explore_path(path, tmp_path / "tmp")[str(path)]
    assert item.status == "ok" and item.text == fresh.text and item.fields == fresh.fields
    assert "johnno@nowhere.com" in item.text
    assert len(opened) == 1 and closed == opened

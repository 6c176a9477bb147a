"""A message we render to bytes (a PST item, an attached message) gets the same bytes, so the same content
hash, every time it is read: copies of a mailbox share their analysis, and a rescan finds them known."""
from __future__ import annotations

import shutil
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from builders import make_eml, make_person
from connectors.containers import rfc822
from connectors.containers.stable_bytes import message_bytes
from core_helpers import OUTLOOK_FIXTURES


def _hashes(tmp_path, path) -> dict[str, str]:
    from connectors import Blob, ExploreContext, Limits, Location, explore

    blob = Blob(Location(str(path)), path.stat().st_size, path=str(path))
    items = explore(blob, ExploreContext(Limits(), str(tmp_path)))
    return {i.location.uri.replace(str(path), "<pst>"): i.content_hash for i in items}


def test_every_pst_message_has_one_content_hash_wherever_and_whenever_it_is_read(tmp_path):
    copies = [tmp_path / "a.pst", tmp_path / "b.pst"]
    for copy in copies:
        shutil.copy(Path(OUTLOOK_FIXTURES) / "attachAndInline.pst", copy)
    reads = [_hashes(tmp_path, copies[0]), _hashes(tmp_path, copies[0]), _hashes(tmp_path, copies[1])]
    assert "<pst>!/message-1" in reads[0] and all(reads[0].values())
    assert reads[0] == reads[1] == reads[2]


def test_stable_bytes_read_back_as_the_stdlib_rendering_does():
    person = make_person(4)
    attached = make_eml(person)

    def built() -> EmailMessage:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "Records <records@example.co.uk>", person.email, "Your file"
        msg.set_content(f"Dear {person.name}\n")
        msg.add_alternative(f"<p>Dear {person.name}</p>", subtype="html")
        msg.add_attachment(attached, maintype="application", subtype="octet-stream", filename="a.eml")
        return msg

    ours = message_bytes(built())
    assert ours == message_bytes(built()) and b"boundary=" in ours
    theirs = BytesParser(policy=policy.default).parsebytes(built().as_bytes(policy=policy.default))
    mine = BytesParser(policy=policy.default).parsebytes(ours)
    assert rfc822.message_text(mine, 10**6).text() == rfc822.message_text(theirs, 10**6).text()
    assert [rfc822.attachment_bytes(p) for k, p in rfc822.bodies_and_attachments(mine) if k == "attachment"] == \
        [rfc822.attachment_bytes(p) for k, p in rfc822.bodies_and_attachments(theirs) if k == "attachment"]
    assert person.name in rfc822.message_text(mine, 10**6).text()

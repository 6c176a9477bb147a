"""Bad input: truncated and corrupt containers are recorded with a reason, never raise, never hang."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import (explore_path, make_7z, make_docx, make_eml, make_mbox, make_person, make_tar, make_zip,
                      person_lines, within, zip_bytes)
from core_helpers import OUTLOOK_FIXTURES

OUTLOOK = Path(OUTLOOK_FIXTURES)
PERSON = make_person(21)
TEXT = person_lines(PERSON).encode()


def build_zip(path):
    make_zip(path, {"a.txt": TEXT, "b.docx": make_docx(PERSON.name), "c.txt": TEXT * 50})


def build_tar_gz(path):
    make_tar(path, {"a.txt": TEXT, "b.bin": bytes(range(256)) * 400, "c.txt": TEXT})


def build_tar(path):
    make_tar(path, {"a.txt": TEXT, "b.bin": bytes(range(256)) * 400, "c.txt": TEXT}, mode="w")


def build_7z(path):
    make_7z(path, {"a.txt": TEXT, "b.bin": bytes(range(256)) * 400})


def build_mbox(path):
    make_mbox(path, [make_eml(PERSON, {"x.docx": make_docx(PERSON.name)}, message_id="<one@x.co.uk>"),
                     make_eml(PERSON, message_id="<two@x.co.uk>")])


def copy_fixture(name):
    return lambda path: shutil.copy(OUTLOOK / name, path)


BUILDERS = {
    "zip": build_zip, "tar.gz": build_tar_gz, "tar": build_tar, "7z": build_7z, "mbox": build_mbox,
    "msg": copy_fixture("qwerty_3.msg"), "pst": copy_fixture("attachAndInline.pst"),
    "embedded.pst": copy_fixture("msgInMsg.pst"),
}


def statuses(seen):
    return {uri: (s.status, s.reason) for uri, s in seen.items()}


def assert_recorded(seen, outer):
    assert str(outer) in seen, "the outer file must always get a row"
    for s in seen.values():
        assert s.status in ("ok", "skipped", "error", "encrypted")
        if s.status != "ok":
            assert s.reason, s.uri
        # A reason never quotes file content.
        assert PERSON.email not in s.reason and PERSON.name not in s.reason


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_truncated_is_recorded_with_a_reason(tmp_path, kind):
    good = tmp_path / f"good.{kind}"
    BUILDERS[kind](good)
    data = good.read_bytes()
    for cut in (len(data) // 2, len(data) - 100, 600):
        path = tmp_path / f"cut{cut}.{kind}"
        path.write_bytes(data[:cut])
        with within(60):
            seen = explore_path(path, tmp_path / "tmp")
        assert_recorded(seen, path)


@pytest.mark.parametrize("kind, expected", [("zip", "error"), ("7z", "error"), ("msg", "error"), ("pst", "error"),
                                            ("tar.gz", "error")])
def test_cut_in_half_is_an_error_on_the_container(tmp_path, kind, expected):
    good = tmp_path / f"good.{kind}"
    BUILDERS[kind](good)
    path = tmp_path / f"half.{kind}"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with within(60):
        seen = explore_path(path, tmp_path / "tmp")
    if str(path) in seen and seen[str(path)].mime in ("application/octet-stream", ""):
        pytest.skip("libmagic no longer recognises the format: nothing to open")   # pragma: no cover
    assert seen[str(path)].status == expected, statuses(seen)


def test_truncated_tar_gz_keeps_members_found_before_the_cut(tmp_path):
    good = tmp_path / "good.tar.gz"
    make_tar(good, {"first.txt": TEXT, "noise.bin": __import__("os").urandom(300_000), "last.txt": TEXT})
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(good.read_bytes()[:150_000])
    seen = explore_path(path, tmp_path / "tmp")
    assert PERSON.email in seen[f"{path}!/first.txt"].text
    assert seen[str(path)].status == "error" and seen[str(path)].reason.startswith("tar: truncated")


def test_zip_with_a_corrupt_member_keeps_the_others(tmp_path):
    data = bytearray(zip_bytes({"a.txt": TEXT * 20, "b.txt": TEXT * 20}))
    first_data = data.find(b"a.txt") + len("a.txt")
    data[first_data + 5:first_data + 25] = b"\xff" * 20           # damage a.txt's deflate stream
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[f"{path}!/a.txt"].status == "error" and seen[f"{path}!/a.txt"].reason.startswith("zip:")
    assert PERSON.email in seen[f"{path}!/b.txt"].text


def test_attachment_with_a_lying_content_type_is_sniffed(tmp_path):
    from email import policy
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "a@example.co.uk"
    msg.set_content("see attached")
    msg.add_attachment(zip_bytes({"in.txt": TEXT}), maintype="image", subtype="jpeg", filename="photo.jpg")
    path = tmp_path / "liar.eml"
    path.write_bytes(msg.as_bytes(policy=policy.SMTP))
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[f"{path}!/photo.jpg"].mime == "application/zip"
    assert PERSON.email in seen[f"{path}!/photo.jpg!/in.txt"].text


def test_garbage_eml_and_broken_headers_do_not_raise(tmp_path):
    raw = (b"From: =?utf-8?q?broken <<<@@@>>>\r\nTo: ,,,;;;<>\r\nSubject: =?bogus-charset?b?!!!?=\r\n"
           b"Content-Type: multipart/mixed; boundary=\"zz\"\r\nMessage-ID: <a@b>\r\n\r\n--zz\r\n"
           b"Content-Type: text/plain; charset=no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           b"!!!not base64!!!\r\n--zz\r\nContent-Type: application/octet-stream; name=\"x.bin\"\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nAAAA====AAA\r\n")          # no closing boundary
    path = tmp_path / "broken.eml"
    path.write_bytes(raw)
    with within(30):
        seen = explore_path(path, tmp_path / "tmp")
    assert_recorded(seen, path)


@pytest.mark.parametrize("kind", ["zip", "tar.gz", "7z", "mbox", "msg", "pst", "embedded.pst"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_bytes_never_escape(tmp_path, kind, data):
    good = tmp_path / f"good.{kind}"
    if not good.exists():
        BUILDERS[kind](good)
    raw = bytearray(good.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    path = tmp_path / f"mutant.{kind}"
    path.write_bytes(bytes(raw))
    with within(60):
        seen = explore_path(path, tmp_path / "tmp")
    assert_recorded(seen, path)


def _embedded_buffer() -> bytes:
    import pypff

    store = pypff.file()
    store.open(str(OUTLOOK / "msgInMsg.pst"))
    top = [f for f in store.root_folder.sub_folders if f.number_of_sub_messages][0]
    attachment = top.get_sub_message(0).get_attachment(0)
    return attachment.read_buffer(attachment.size)


EMBEDDED = _embedded_buffer()


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_mutated_embedded_message_heap_only_raises_valueerror(data):
    import struct

    from connectors.containers.pst_embedded import embedded_properties

    raw = bytearray(EMBEDDED)
    for _ in range(data.draw(st.integers(1, 6))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    try:
        props = embedded_properties(bytes(raw[:cut]))
    except (ValueError, struct.error):
        return
    assert isinstance(props, dict)

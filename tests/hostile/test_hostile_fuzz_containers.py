"""Hypothesis over every container through `connectors.explore` (the extractors have their own fuzz
in tests/test_extract_fuzz.py): mutated and random bytes never raise out of explore, extraction
raises only our errors, no reason quotes the input, and no example hangs."""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import tarfile
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import make_eml, make_person, within
from connectors import Blob, ExploreContext, LimitExceeded, Limits, Location, explore
from connectors.errors import ConnectorError
from hostile_inputs import OUTLOOK
from mutations import mutated

PERSON = make_person(41)
SMALL = Limits(max_text_bytes=200_000, max_member_bytes=2 * 1024 * 1024, max_container_bytes=8 * 1024 * 1024,
               max_total_bytes=16 * 1024 * 1024, doc_timeout_s=5)
FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _text() -> bytes:
    return f"Dear {PERSON.name}, we will call you on {PERSON.phone} or write to {PERSON.email}.\n".encode()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("letter.txt", _text())
        z.writestr("inner/more.txt", _text() * 3)
    return out.getvalue()


def _tar(mode: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as t:
        for name, data in (("letter.txt", _text()), ("nested.zip", _zip())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _7z() -> bytes:
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as z:
        z.writestr(_text(), "letter.txt")
    return out.getvalue()


def _mbox() -> bytes:
    eml = make_eml(PERSON, {"notes.zip": _zip()})
    return b"From MAILER-DAEMON Wed May  1 09:30:00 2024\n" + eml.replace(b"\r\n", b"\n") + b"\n"


def _fixture(name: str) -> bytes:
    with open(os.path.join(OUTLOOK, name), "rb") as f:
        return f.read()


SAMPLES = {
    "zip": _zip, "tar": lambda: _tar("w"), "tar.gz": lambda: _tar("w:gz"), "tar.bz2": lambda: _tar("w:bz2"),
    "tar.xz": lambda: _tar("w:xz"), "gz": lambda: gzip.compress(_text() * 50),
    "bz2": lambda: bz2.compress(_text()),
    "xz": lambda: lzma.compress(_text()), "7z": _7z, "eml": lambda: make_eml(PERSON, {"a.zip": _zip()}),
    "mbox": _mbox, "msg": lambda: _fixture("note.msg"), "pst": lambda: _fixture("msgInMsg.pst"),
}


def explore_all(data: bytes, tmpdir: str) -> int:
    """Everything the scanner would do with the bytes; returns the number of items."""
    outer = os.path.join(os.path.dirname(tmpdir), "input")   # an outer file lies on disk, as in a scan
    with open(outer, "wb") as f:
        f.write(data)
    blob = Blob(Location(outer), len(data), path=outer)
    items = 0
    with within(20):
        for item in explore(blob, ExploreContext(SMALL, tmpdir)):     # must never raise
            items += 1
            assert PERSON.email not in item.reason and PERSON.name.split()[-1] not in item.reason
            if item.extract is None or item.status != "ok":
                continue
            try:
                for chunk in item.extract().chunks:
                    assert isinstance(chunk, str)
            except (ConnectorError, LimitExceeded) as exc:
                assert PERSON.email not in str(exc) and PERSON.name.split()[-1] not in str(exc)
    return items


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_mutated_containers(fmt, tmp_path):
    sample = SAMPLES[fmt]()
    tmp_path = tmp_path / "private"
    tmp_path.mkdir()
    single = fmt in ("gz", "bz2", "xz", "msg")    # one item: nothing nested in the sample
    assert explore_all(sample, str(tmp_path)) > 1 or single, "the intact sample is explored"

    @FUZZ
    @given(mutated(sample, max_flips=12))
    def check(data):
        explore_all(data, str(tmp_path))
        assert os.listdir(tmp_path) == [], "spooled members are removed"

    check()


@FUZZ
@given(st.sampled_from([b"PK\x03\x04", b"\x1f\x8b\x08", b"7z\xbc\xaf\x27\x1c", b"BZh9", b"\xfd7zXZ\x00",
                        b"!BDN", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"From x\nFrom: a@b\n"]),
       st.binary(max_size=4096))
def test_random_bytes_behind_container_magic(tmp_path_factory, magic, tail):
    tmp = tmp_path_factory.mktemp("rand") / "private"
    tmp.mkdir()
    explore_all(magic + tail, str(tmp))
    assert os.listdir(tmp) == []

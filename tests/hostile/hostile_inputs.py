"""Builders for hostile inputs, written into a directory by the tests (no committed binaries).

Each builder returns the file names it made, with what the scan must record for them.
Shared by the suite and benchmarks/hostile_table.py.
"""
from __future__ import annotations

import gzip
import io
import os
import random
import struct
import tarfile
import zipfile
import zlib
from builders import pdf_document
from core_helpers import OUTLOOK_FIXTURES

MB = 1024 * 1024
PII_LINE = b"Contact Jo Bloggs at jo.bloggs@example.org or 07700 900123.\n"


# -- a raw zip writer: lets a test lie in the central directory -----------------------------
def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zeros_member(size: int) -> tuple[bytes, int, int]:
    """(raw deflate, crc32, size) of `size` zero bytes, built without holding them all."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, block = [], 0, bytes(MB)
    for _ in range(size // MB):
        out.append(c.compress(block))
        crc = zlib.crc32(block, crc)
    out.append(c.flush())
    return b"".join(out), crc, size


def raw_zip(entries: list[dict]) -> bytes:
    """entries: name, data (compressed), crc, usize, and optional lies: cd_usize, cd_offset, flags."""
    out = io.BytesIO()
    central = []
    for e in entries:
        name = e["name"].encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, e.get("flags", 0), 8, 0, 0x21,
                              e["crc"], len(e["data"]), e["usize"], len(name), 0) + name + e["data"])
        central.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, e.get("flags", 0), 8, 0, 0x21,
                                   e["crc"], len(e["data"]), e.get("cd_usize", e["usize"]), len(name),
                                   0, 0, 0, 0, 0, e.get("cd_offset", offset)) + name)
    cd_start = out.tell()
    for c in central:
        out.write(c)
    cd_size = out.tell() - cd_start
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(central), len(central), cd_size, cd_start, 0))
    return out.getvalue()


def text_entry(name: str, text: bytes) -> dict:
    return dict(name=name, data=_deflate(text), crc=zlib.crc32(text), usize=len(text))


# -- archives ---------------------------------------------------------------------------------
def build_archives(root: str) -> dict[str, str]:
    """Write every archive input under root; return {file name: what it is}."""
    os.makedirs(root, exist_ok=True)
    made = {}

    def put(name, data, what):
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
        made[name] = what

    kernel, crc, size = zeros_member(64 * MB)
    zero = dict(data=kernel, crc=crc, usize=size)
    put("bomb-flat.zip", raw_zip([dict(zero, name=f"zeros-{i}.bin") for i in range(64)]),
        "flat zip bomb: 64 members x 64 MB of zeros (4 GB) in ~4 MB")
    # Overlapping: every central entry points at the same local header (Fifield's non-recursive bomb).
    one = raw_zip([dict(zero, name="z.bin")])
    lh_len = 30 + len("z.bin") + len(kernel)
    overlapped = one[:lh_len] + b"".join(
        struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(kernel), size, 5,
                    0, 0, 0, 0, 0, 0) + b"z.bin" for _ in range(200))
    overlapped += struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 200, 200, len(overlapped) - lh_len, lh_len, 0)
    put("bomb-overlap.zip", overlapped, "overlapping zip bomb: 200 entries share one 64 MB kernel")
    inner = raw_zip([dict(zero, name="zeros.bin")])
    level = inner
    for depth in range(3):
        level = raw_zip([dict(text_entry(f"l{depth}-{i}.zip", level), name=f"l{depth}-{i}.zip")
                         for i in range(8)])
    put("bomb-nested.zip", level, "nested zip bomb: 8^3 x 64 MB (32 GB) through 3 levels")
    put("bomb.gz", b"".join([gzip.compress(bytes(64 * MB), 9, mtime=0)] * 16),
        "high-ratio gzip: 1 GB of zeros in 16 gzip members (~1 MB)")
    put("traversal.tar", _tar([("../../../../tmp/pdsweep-escaped.txt", PII_LINE),
                               ("/etc/pdsweep-absolute.txt", PII_LINE)]),
        "tar with ../ and absolute member names")
    put("links.tar", _tar([("notes.txt", PII_LINE)], links=[("sym-passwd", "/etc/passwd", tarfile.SYMTYPE),
                                                           ("hard-shadow", "/etc/shadow", tarfile.LNKTYPE),
                                                           ("hard-notes", "notes.txt", tarfile.LNKTYPE)]),
        "tar with symlink and hardlink members (to /etc/passwd, /etc/shadow, a sibling)")
    put("symlink.zip", _zip_symlink(), "zip with a symlink member to /etc/passwd")
    put("duplicates.zip",
        raw_zip([text_entry("same.txt", PII_LINE), text_entry("same.txt", b"other text\n")]),
        "zip with two members of the same name")
    put("encrypted.zip", _encrypted_zip(), "encrypted zip (ZipCrypto flag)")
    put("encrypted.7z", _encrypted_7z(), "encrypted 7z (AES, header encrypted)")
    put("encrypted.pdf", _encrypted_pdf(), "encrypted PDF (needs a user password)")
    put("lying-size.zip", raw_zip([dict(zero, name="small.txt", cd_usize=100, usize=100)]),
        "zip whose central directory claims 100 bytes for a 64 MB member")
    put("lying-offset.zip", raw_zip([dict(text_entry("a.txt", PII_LINE), cd_offset=10 ** 6)]),
        "zip whose central directory points past the end of the file")
    put("lying-count.zip", _lying_count(), "zip whose end record claims 65535 entries")
    return made


def _tar(members, links=()) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1714555800
            t.addfile(info, io.BytesIO(data))
        for name, target, kind in links:
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mtime = kind, target, 1714555800
            t.addfile(info)
    return out.getvalue()


def _zip_symlink() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        info = zipfile.ZipInfo("passwd-link")
        info.create_system = 3
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
        z.writestr("notes.txt", PII_LINE)
    return out.getvalue()


def _encrypted_zip() -> bytes:
    from builders import encrypt_flag_zip

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("secret.txt", PII_LINE)
    return encrypt_flag_zip(out.getvalue())


def _encrypted_7z() -> bytes:
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w", password="s3cret") as z:
        z.set_encrypted_header(True)
        z.writestr(PII_LINE, "secret.txt")
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from builders import make_person
    from test_extract_samples import build_pdf

    return build_pdf(make_person(7), encrypt=True)


def _lying_count() -> bytes:
    data = bytearray(raw_zip([text_entry("a.txt", PII_LINE)]))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<2H", data, end + 8, 0xFFFF, 0xFFFF)
    return bytes(data)


# -- file system ------------------------------------------------------------------------------
NON_UTF8_NAME = b"caf\xe9-\xff\xfe-notes.txt"


def build_filesystem(root: str, outside: str) -> dict[str, str]:
    """Links, loops, special files, a deep tree and a non-UTF-8 name under root.

    `outside` is a directory next to root holding a file the links point at.
    """
    import socket

    os.makedirs(root, exist_ok=True)
    os.makedirs(outside, exist_ok=True)
    with open(os.path.join(outside, "secret.txt"), "wb") as f:
        f.write(PII_LINE)
    j = lambda *p: os.path.join(root, *p)   # noqa: E731
    os.makedirs(j("loops", "a"))
    os.symlink("..", j("loops", "a", "up"))                 # a directory loop
    os.symlink("self", j("loops", "self"))                  # a link to itself
    os.symlink("ping", j("loops", "pong"))
    os.symlink("pong", j("loops", "ping"))                  # two links to each other
    os.symlink(outside, j("out-dir"))                       # out of the roots
    os.symlink(os.path.join(outside, "secret.txt"), j("out-file"))
    os.symlink("/etc/passwd", j("passwd"))
    with open(j("plain.txt"), "wb") as f:
        f.write(PII_LINE)
    os.symlink("plain.txt", j("inside-link"))               # within the roots
    os.mkfifo(j("fifo"))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(j("sock"))
    sock.close()                                            # the socket file stays
    os.mknod(j("zero-device"), 0o600 | 0o020000, os.makedev(1, 5))   # /dev/zero as a char node
    deep = j("deep", *(["d"] * 300))
    os.makedirs(deep)
    with open(os.path.join(deep, "bottom.txt"), "wb") as f:
        f.write(PII_LINE)
    with open(os.path.join(os.fsencode(root), NON_UTF8_NAME), "wb") as f:
        f.write(PII_LINE)
    return {}


# -- parsers: truncated, garbled, mislabelled, slow -------------------------------------------
OUTLOOK = OUTLOOK_FIXTURES


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _garbled(data: bytes) -> bytes:
    """Keep the format's first bytes (so it is still sniffed as that format), flip the rest."""
    return data[:16] + bytes(b ^ 0x5A for b in data[16:])


def _mbox() -> bytes:
    import tempfile

    from builders import make_eml, make_mbox, make_person

    with tempfile.NamedTemporaryFile() as f:
        make_mbox(f.name, [make_eml(make_person(i)) for i in range(3)])
        return open(f.name, "rb").read()


def _fixture(name: str) -> bytes:
    with open(os.path.join(OUTLOOK, name), "rb") as f:
        return f.read()


def slow_pdf(ops: int = 400_000) -> bytes:
    """A valid one-page PDF whose content stream draws `ops` single characters: pdfminer's layout
    analysis takes minutes on it (the file is ~100 KB)."""
    return pdf_document(b"BT /F1 1 Tf " + b"".join(b"%d %d Td (x) Tj " % (i % 7, i % 5) for i in range(ops))
                        + b"ET")


def billion_laughs() -> bytes:
    lines = [b'<?xml version="1.0"?>', b"<!DOCTYPE lolz [", b'<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        lines.append(b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))))
    lines += [b"]>", b"<lolz>&lol9;</lolz>"]
    return b"\n".join(lines)


def corrupt_documents() -> dict:
    """{file name: builder() -> bytes} for every parser's truncated and garbled input."""
    from test_extract_samples import BUILDERS, make_person

    person = make_person(3)
    out = {}
    for fmt in ("docx", "xlsx", "pptx", "odt", "pdf", "rtf"):
        out[f"truncated.{fmt}"] = lambda f=fmt: _truncated(BUILDERS[f](person))
        out[f"garbled.{fmt}"] = lambda f=fmt: _garbled(BUILDERS[f](person))
    out["truncated.mbox"] = lambda: _truncated(_mbox())
    out["garbled.mbox"] = lambda: _garbled(_mbox())
    out["truncated.msg"] = lambda: _truncated(_fixture("note.msg"))
    out["garbled.msg"] = lambda: _garbled(_fixture("note.msg"))
    out["truncated.pst"] = lambda: _truncated(_fixture("attachAndInline.pst"))
    out["garbled.pst"] = lambda: _garbled(_fixture("attachAndInline.pst"))
    # Seeded, not os.urandom: libmagic calls some random buffers a DOS executable (about one run in a
    # few hundred), which made the expected "octet-stream" reason flaky.
    out["binary.txt"] = lambda: random.Random(273).randbytes(256 * 1024)
    out["billion-laughs.xml"] = billion_laughs
    return out

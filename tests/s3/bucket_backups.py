"""Backups as an MSP keeps them in a bucket: a tar.gz, a zip and an mbox with nested members, holding
one synthetic person (a plain module for the S3 scan tests and the benchmark)."""
from __future__ import annotations

import io
import tarfile
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone

MESSAGE_ID = "<backup-19.1@example-msp.co.uk>"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1714550400
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _mbox(name: str, email: str, attachment: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <{email}>"
    msg["To"] = "Accounts <accounts@example-msp.co.uk>"
    msg["Subject"] = "Invoice query"
    msg["Message-ID"] = MESSAGE_ID
    msg["Date"] = format_datetime(datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc))
    msg.set_content(f"Hello, this is {name}. Please call me back.\n")
    msg.add_attachment(attachment, maintype="application", subtype="zip", filename="statement.zip")
    return b"From accounts@example-msp.co.uk Wed May  1 09:30:00 2024\n" + msg.as_bytes() + b"\n"


def backup_objects(name: str, email: str, other_email: str) -> dict[str, bytes]:
    """{key below the test prefix: bytes}, and where the person is in each."""
    row = f"name,email\n{name},{email}\nSomeone Else,{other_email}\n".encode()
    note = f"Spoke to {name} ({email}) about the renewal.\n".encode()
    return {
        "site-a/2024-05.tar.gz": _tar_gz({"./home/sales/clients.csv": row,
                                          "home/sales/old.zip": _zip({"notes.txt": note}),
                                          "home/sales/empty.txt": b"nothing personal\n"}),
        "site-b/old.zip": _zip({"inner.zip": _zip({"notes.txt": note})}),
        "mail/export.mbox": _mbox(name, email, _zip({"statement.txt": note})),
        "plain/letter.txt": note,
        "plain/nothing.txt": b"no personal data in here\n",
    }


def expected_hits(base: str) -> set[str]:
    """The innermost locations holding the person, as `find` prints them."""
    return {f"{base}/site-a/2024-05.tar.gz!/home/sales/clients.csv",
            f"{base}/site-a/2024-05.tar.gz!/home/sales/old.zip!/notes.txt",
            f"{base}/site-b/old.zip!/inner.zip!/notes.txt",
            f"{base}/mail/export.mbox!/{MESSAGE_ID}",
            f"{base}/mail/export.mbox!/{MESSAGE_ID}!/statement.zip!/statement.txt",
            f"{base}/plain/letter.txt"}

"""The synthetic tree served by the test Samba server (faker en_GB people, built at test time)."""
from __future__ import annotations

import os

from builders import make_docx, make_eml, make_person, person_lines, zip_bytes

# Where the planted person is, as the share's relative paths (zip member after "!/").
PLANTED_AT = ("archive/2024.zip!/people/planted.txt", "hr/letters/offer.docx", "hr/planted.txt",
              "hr/staff.csv", "mail/message.eml")
DENIED_DIR = "denied"


def build_share(root: str) -> dict:
    """Write the synthetic tree under `root`; returns the people in it."""
    planted, other, third = make_person(101), make_person(202), make_person(303)

    def put(rel: str, data: bytes) -> None:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    put("hr/planted.txt", person_lines(planted).encode())
    put("hr/staff.csv", ("name,email,phone\n" + "\n".join(
        f"{p.name},{p.email},{p.phone}" for p in (planted, other))).encode() + b"\n")
    put("hr/letters/offer.docx",
        make_docx(f"Offer letter\n{planted.name}\n{planted.email}\n{planted.address}"))
    put("archive/2024.zip", zip_bytes({"people/planted.txt": person_lines(planted).encode(),
                                       "people/other.txt": person_lines(other).encode()}))
    put("mail/message.eml", make_eml(planted))
    put("other/notes.txt", person_lines(third).encode())
    put("other/empty.txt", b"Nothing personal here: the quarterly totals are in the ledger.\n")
    put("other/odd name #1 % & (copy).txt", f"Contact {other.email}\n".encode())
    put(f"{DENIED_DIR}/secret.txt", person_lines(planted).encode())
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    os.chmod(os.path.join(root, DENIED_DIR), 0o700)   # root-owned: the Samba test user may not list it
    return dict(planted=planted, other=other, third=third)

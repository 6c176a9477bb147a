"""A small synthetic estate (faker en_GB people) for the report: shares, mail, backups, dated years apart.

Shares, a mail export, backups holding copies of a share's CSV, an encrypted
archive that cannot be read, and files dated years apart so the age
histogram and the retention list have something to show.
"""
from __future__ import annotations

import calendar
import hashlib
import os
from dataclasses import dataclass

from builders import make_7z, make_eml, make_mbox, make_person, make_tar, make_zip


@dataclass(frozen=True)
class Estate:
    root: str
    inventory: str
    people: list
    clients_csv_hash: str   # SHA-256 of the CSV kept on the share and in two backups
    erased_keys: dict       # value keys of the one subject on the suppression register (empty without one)
    beyond_use: tuple       # the location that erasure put beyond use (not reported again)


def scan_estate(root: str, inventory: str) -> Estate:
    """Build the estate under `root`, scan it into `inventory`, put a subject on the suppression register."""
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    people, clients_hash = build_estate(root)
    # Regex recognisers only: the report's figures do not depend on NER, and the tests stay fast.
    config = ScanConfig(inventory=inventory, workers=1, detector=DetectorSettings(use_ner=False))
    summary = run_scan([root], config)
    assert summary.status == "completed"
    restored_copy = f"{root}/backups/weekly/2024-05-01.tar.gz!/share/sales/clients.csv"
    erased_keys, beyond_use = _register_an_erasure(inventory, people[0].email, restored_copy)
    return Estate(root=root, inventory=inventory, people=people, clients_csv_hash=clients_hash,
                  erased_keys=erased_keys, beyond_use=beyond_use)


def _register_an_erasure(inventory: str, email: str, beyond_use: str) -> tuple[dict, tuple]:
    """Put one subject on the suppression register, as `erase` does, so the report has a reappearance."""
    try:
        from scanner.requests.suppression import add_entry
    except ImportError:
        return {}, ()
    from scanner.find import query_keys
    from scanner.keys import Keyer, load_or_create_secret

    secret = load_or_create_secret(os.path.join(inventory, "key"), create=False)
    keys = query_keys(Keyer(secret), {"email": [email]})
    add_entry(inventory, "req-0001", keys, [beyond_use])
    return keys, (beyond_use,)


def _csv(people) -> bytes:
    lines = ["name,email,phone"] + [f"{p.name},{p.email},{p.phone}" for p in people]
    return ("\n".join(lines) + "\n").encode()


def _date(year: int, month: int, day: int = 1) -> int:
    return calendar.timegm((year, month, day, 12, 0, 0))


def _write(path: str, data: bytes, year_month: tuple[int, int] | None = None) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    if year_month:
        stamp = _date(*year_month)
        os.utime(path, (stamp, stamp))


def build_estate(root: str) -> tuple[list, str]:
    people = [make_person(seed) for seed in range(14)]
    clients, staff, leavers = _csv(people[:5]), _csv(people[5:9]), _csv(people[9:11])
    _write(f"{root}/share/sales/clients.csv", clients)
    _write(f"{root}/share/sales/2019/old-clients.csv", _csv(people[2:6]), (2019, 3))
    _write(f"{root}/share/hr/staff.csv", staff, (2021, 6))
    _write(f"{root}/share/hr/leavers/leavers-2018.csv", leavers, (2018, 11))
    _write(f"{root}/share/public/menu.txt", b"Soup of the day: leek and potato.\n", (2022, 1))
    marshal = people[11]
    notice = f"Fire marshal: {marshal.name}, call {marshal.phone}\n".encode()
    _write(f"{root}/share/public/notice.txt", notice, (2023, 4))
    os.makedirs(f"{root}/mail", exist_ok=True)
    make_mbox(f"{root}/mail/support.mbox", [make_eml(p) for p in people[:3]])
    make_mbox(f"{root}/mail/hr.mbox", [make_eml(people[12], {"staff.csv": staff})])
    os.makedirs(f"{root}/backups/weekly", exist_ok=True)
    make_tar(f"{root}/backups/weekly/2024-05-01.tar.gz",
             {"share/sales/clients.csv": clients, "share/hr/staff.csv": staff})
    make_zip(f"{root}/backups/weekly/2024-05-08.zip", {"share/sales/clients.csv": clients})
    make_7z(f"{root}/backups/finance-locked.7z", {"payroll.csv": _csv(people[13:])}, password="not-known")
    for path, ym in ((f"{root}/mail/support.mbox", (2020, 2)), (f"{root}/mail/hr.mbox", (2024, 9)),
                     (f"{root}/backups/weekly/2024-05-01.tar.gz", (2024, 5)),
                     (f"{root}/backups/weekly/2024-05-08.zip", (2024, 5))):
        stamp = _date(*ym)
        os.utime(path, (stamp, stamp))
    return people, hashlib.sha256(clients).hexdigest()

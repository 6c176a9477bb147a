"""Three hosts of two tenants, each with its own scanned inventory (a plain module for the fleet tests).

The same synthetic person is a customer of both tenants, so a tenant-scoped
query that leaked across tenants would show it. Scans are real (no NER: the
name index and the email recogniser are enough to find the person).
"""
from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass

from faker import Faker

HOSTS = (("acme", "acme-files"), ("acme", "acme-mail"), ("beta", "beta-files"))


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Host:
    tenant: str
    name: str
    tree: str
    inventory: str
    key: str


def make_person(seed: int = 19) -> Person:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    first, last = fake.first_name(), fake.last_name()
    return Person(f"{first} {last}", f"{first}.{last}@example-shared.co.uk".lower())


def build_tree(root: str, host: str, person: Person, fake: Faker) -> None:
    os.makedirs(root, exist_ok=True)
    other = fake.name()
    with open(os.path.join(root, f"{host}-notes.txt"), "w") as f:
        f.write(f"Call back {person.name} ({person.email}) about the invoice.\n\n"
                f"Unrelated: {other} asked about parking.\n")
    with open(os.path.join(root, "customers.csv"), "w") as f:
        f.write(f"name,email\n{person.name},{person.email}\n{other},{fake.email()}\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("old/letter.txt", f"Dear {person.name},\nyour account {person.email} is closed.\n")
    with open(os.path.join(root, "archive.zip"), "wb") as f:
        f.write(buf.getvalue())
    with open(os.path.join(root, "nothing.txt"), "w") as f:
        f.write("no personal data here\n")


def scan_host(tree: str, inventory: str, key: str, tenant: str, host: str):
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    config = ScanConfig(inventory=inventory, key_path=key, workers=1, tenant=tenant, host=host,
                        detector=DetectorSettings(use_ner=False))
    summary = run_scan([tree], config)
    assert summary.status == "completed" and summary.errors == 0
    return summary


def build_hosts(base: str, person: Person) -> list[Host]:
    fake = Faker("en_GB")
    fake.seed_instance(7)
    hosts = []
    for tenant, name in HOSTS:
        tree = os.path.join(base, "trees", name)
        build_tree(tree, name, person, fake)
        host = Host(tenant, name, tree, os.path.join(base, "inventories", name),
                    os.path.join(base, "keys", f"{tenant}.key"))
        os.makedirs(os.path.dirname(host.key), mode=0o700, exist_ok=True)
        scan_host(host.tree, host.inventory, host.key, tenant, name)    # the first scan creates the tenant's key
        hosts.append(host)
    return hosts

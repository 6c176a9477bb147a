"""Build a synthetic, mixed corpus for the speed benchmarks (faker en_GB, seeded).

Layout, like a small office server:
  share/      text letters and notes (some name people, most do not), CSV exports, JSON/XML
              records, HTML pages, DOCX/XLSX/PDF documents, logs, and binary files (images,
              installers) that hold no text;
  mail/       mbox exports;
  backups/    tar.gz and zip copies of parts of the share (duplicates of share content).
"""
from __future__ import annotations

import io
import os
import random
import sys
import tarfile

from faker import Faker

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample_data"))
import generate as sample  # noqa: E402  (the sample generator's format writers)

PRODUCT_WORDS = ("widget gasket valve bracket hinge flange coupling sensor relay module panel cable "
                 "fitting washer bearing spindle housing cover seal pump").split()


def business_note(fake: Faker, rnd: random.Random, paragraphs: int) -> str:
    """Operational text with no personal data: products, quantities, dates, process notes."""
    out = []
    for _ in range(paragraphs):
        items = ", ".join(f"{rnd.randint(1, 500)} x {rnd.choice(PRODUCT_WORDS)} (SKU {rnd.randint(10000, 99999)})"
                          for _ in range(rnd.randint(2, 6)))
        out.append(f"Stock review {fake.date_this_decade()}: {items}. {fake.paragraph(nb_sentences=4)}")
    return "\n\n".join(out) + "\n"


def log_text(fake: Faker, rnd: random.Random, lines: int) -> str:
    return "".join(f"{fake.iso8601()} INFO worker-{rnd.randint(1, 9)} job {rnd.randint(1000, 9999)} "
                   f"completed in {rnd.random() * 5:.3f}s status=ok\n" for _ in range(lines))


PEOPLE: list[tuple[str, str]] = []   # (name, email) of everyone written into the corpus, for find checks


def person_letter(fake: Faker) -> str:
    p = sample.Person(fake.first_name(), fake.last_name(), fake.email(), fake.phone_number(),
                      fake.postcode(), fake.street_address(), fake.city(), "AB123456C", "9434765919")
    PEOPLE.append((p.name, p.email))
    return sample.letter(p) + fake.paragraph(nb_sentences=6) + "\n"


def build_corpus(root: str, files: int = 20000, seed: int = 7, binary_mb: int = 170) -> dict:
    """Write the corpus; returns counts. ~75% of text files hold no personal data."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    stats = {"files": 0, "bytes": 0}
    PEOPLE.clear()
    text_files: dict[str, bytes] = {}

    def put(rel: str, data: bytes) -> None:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        stats["files"] += 1
        stats["bytes"] += len(data)

    n_text = int(files * 0.9)
    for i in range(n_text):
        dept = rnd.choice(["sales", "finance", "ops", "hr", "it", "projects"])
        kind = rnd.random()
        if kind < 0.45:
            data = business_note(fake, rnd, rnd.randint(2, 6)).encode()
            rel = f"share/{dept}/notes/note-{i}.txt"
        elif kind < 0.6:
            data = log_text(fake, rnd, rnd.randint(30, 120)).encode()
            rel = f"share/{dept}/logs/job-{i}.log"
        elif kind < 0.8:
            data = person_letter(fake).encode()
            rel = f"share/{dept}/letters/letter-{i}.txt"
        elif kind < 0.9:
            rows = [[fake.name(), fake.email(), fake.phone_number(), fake.postcode(), "active"]
                    for _ in range(rnd.randint(5, 40))]
            data = ("Customer Name,Email,Phone,Postcode,Status\n"
                    + "".join(",".join(r) + "\n" for r in rows)).encode()
            rel = f"share/{dept}/exports/crm-{i}.csv"
        elif kind < 0.95:
            data = (f"<html><body><h1>Order {i}</h1><p>{business_note(fake, rnd, 2)}</p></body></html>").encode()
            rel = f"share/{dept}/web/page-{i}.html"
        elif kind < 0.98:
            data = sample.docx_bytes(person_letter(fake) if rnd.random() < 0.5 else business_note(fake, rnd, 3))
            rel = f"share/{dept}/docs/doc-{i}.docx"
        else:
            data = sample.pdf_bytes(business_note(fake, rnd, 1).splitlines()[:40])
            rel = f"share/{dept}/docs/scan-{i}.pdf"
        put(rel, data)
        if rel.endswith((".txt", ".csv", ".log", ".html")):
            text_files[rel] = data
    # Binary files: disk size without text (photos, installers).
    n_bin = max(files // 20, 1)
    per_bin = binary_mb * 1024 * 1024 // n_bin
    for i in range(n_bin):
        put(f"share/media/photo-{i}.jpg", b"\xff\xd8\xff\xe0" + rnd.randbytes(per_bin))
    # Mail exports.
    for m in range(max(files // 2000, 1)):
        messages = [sample.eml_bytes(sample.Person(fake.first_name(), fake.last_name(), fake.email(),
                                                   fake.phone_number(), fake.postcode(), fake.street_address(),
                                                   fake.city(), "AB123456C", "9434765919"), 1000 * m + k)
                    for k in range(100)]
        put(f"mail/export-{m}.mbox", sample.mbox_bytes(messages))
    # Backups: copies of share content (duplicates), the rest of the file budget.
    rels = sorted(text_files)
    remaining = files - stats["files"]
    n_archives = max(remaining // 200, 2)
    for b in range(n_archives):
        chosen = rnd.sample(rels, min(200, len(rels)))
        members = {r.replace("share/", "home/"): text_files[r] for r in chosen}
        if b % 2:
            put(f"backups/weekly-{b}.tar.gz", _tar_gz(members))
        else:
            put(f"backups/weekly-{b}.zip", sample.zip_bytes(members))
    while stats["files"] < files:
        rel = rnd.choice(rels)
        put(f"backups/loose/{stats['files']}-{os.path.basename(rel)}", text_files[rel])
    stats["text_files"] = len(text_files)
    stats["people"] = list(PEOPLE)
    return stats


def _tar_gz(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("root")
    ap.add_argument("--files", type=int, default=20000)
    args = ap.parse_args()
    stats = build_corpus(args.root, args.files)
    print({k: v for k, v in stats.items() if k != "people"})

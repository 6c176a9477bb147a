"""NER later (issue 16): PERSON labels computed where an answer needs them.

A scan with NER deferred (`scan --ner deferred`) runs everything but spaCy's NER pass, so its
contents hold the no-NER findings, marked `ner_pending` in `contents`. NER can change a content's
name keys in two ways only: it adds the keys of the names it labels, and it takes away keys of
name candidates it vetoes. So before a request answers:

- the contents whose findings already match the request (a key NER may take away, and the
  `entity_types`, the erase plan's "others present" and the report read PERSON rows of them), and
- the contents whose text holds every word of one of the request's name forms (a key NER may
  add: a PERSON key is made of the words of a span of the text; each deferred content keeps the
  keyed words of its text, `name_words`, 31-bit numbers, no plaintext)

are labelled: their outer files are read again with NER now, as an incremental scan would, and
the reader shows only the labelled findings of a labelled content (inventory/reader.py). The
request then answers as it would on an inventory scanned with NER. `report` and `pdsweep label`
label every pending content.
"""
from __future__ import annotations

import uuid
from dataclasses import replace

import pyarrow as pa

from detectors.loose_names import loose_forms
from detectors.normalise import name_tokens, query_forms
from connectors.filesystem import FileEntry

from .config import ScanConfig, default_workers
from .find import find_locations, query_keys
from .fingerprint import detector_fingerprint, reading_setting
from .errors import InventoryLocked
from .findings import word_key
from .fleet.tenancy import bind_tenant
from .inventory import InventoryReader, InventoryWriter, open_inventory
from .keys import Keyer, load_or_create_secret
from .state import load_previous

PENDING = """(SELECT content_hash FROM contents WHERE ner_pending
             EXCEPT SELECT content_hash FROM contents WHERE NOT coalesce(ner_pending, false))"""


def has_pending(reader) -> bool:
    columns = {c for (c, *_) in reader.query("DESCRIBE contents")}
    return "ner_pending" in columns and bool(reader.query(f"SELECT 1 FROM {PENDING} LIMIT 1"))


def request_word_sets(keyer: Keyer, identifiers: dict[str, list[str]], loose: bool = False) -> list[list[int]]:
    """For each name form a query can match, the keyed words a text needs to hold it."""
    forms = set()
    for value in identifiers.get("name", []):
        forms |= {f for f in query_forms("name", value) if f.startswith("name:")}
        if loose:
            forms |= {f for f, _ in loose_forms(value) if f.startswith("name:")}
    return [sorted({word_key(keyer, w) for w in name_tokens(f.split(":", 1)[1])}) for f in sorted(forms)]


def paths_to_label(reader, keyer: Keyer, identifiers: dict[str, list[str]], keys: dict[str, str],
                   loose: bool = False) -> list[str]:
    """Outer files (not gone) holding a pending content this request's answer may depend on."""
    if not has_pending(reader):
        return []
    reader.db.register("label_matched", pa.table({"uri": pa.array([r["location"] for r in find_locations(
        reader, keys)], pa.string())}))
    hashes = {h for row in reader.query("SELECT content_hash, name_key FROM locations "
                                        "WHERE uri IN (SELECT uri FROM label_matched)") for h in row if h}
    word_sets = request_word_sets(keyer, identifiers, loose)
    if word_sets:
        test = " OR ".join(f"list_has_all(name_words, ?::INTEGER[])" for _ in word_sets)
        hashes |= {h for (h,) in reader.query(
            f"SELECT content_hash FROM contents WHERE ner_pending AND ({test})", word_sets)}
    reader.db.register("label_hashes", pa.table({"h": pa.array(sorted(hashes), pa.string())}))
    return _outer_paths(reader, f"SELECT h FROM label_hashes WHERE h IN {PENDING}")


def all_pending_paths(reader) -> list[str]:
    return _outer_paths(reader, PENDING) if has_pending(reader) else []


def _outer_paths(reader, hashes_sql: str) -> list[str]:
    """Outer files to read so that every one of these contents is labelled: one file per content (content
    is labelled wherever it lies), a file already chosen where it holds it, contents before file names."""
    holders: dict[tuple[bool, str], set[str]] = {}
    for h, path, is_name in reader.query(
            f"SELECT content_hash, path, false FROM locations WHERE status <> 'gone' AND content_hash IN ({hashes_sql}) "
            f"UNION SELECT name_key, path, true FROM locations WHERE status <> 'gone' AND name_key IN ({hashes_sql})"):
        holders.setdefault((is_name, h), set()).add(path)
    chosen: set[str] = set()
    for _, paths in sorted(holders.items(), key=lambda kv: (kv[0][0], len(kv[1]), kv[0][1])):
        if not chosen & paths:
            chosen.add(min(paths))
    return sorted(chosen)


def label_files(config: ScanConfig, paths: list[str]):
    """Read these outer files again with NER now (an incremental scan of just them); the summary.

    A file that vanished or cannot be listed is left as it is (its contents stay pending); one that
    changed since is read as it is now, as a rescan would."""
    from .scan import ScanSummary, _analyse, _walk   # the scan's own steps, on a list of files
    full = replace(config, detector=config.detector.labelled)
    detector_fp = detector_fingerprint(full.detector, reading_setting(full))
    summary = ScanSummary(scan_id=uuid.uuid4().hex[:16], roots=list(paths))
    if not paths:
        return summary
    secret = load_or_create_secret(full.resolved_key_path, create=False)   # never a new key here
    bind_tenant(full.inventory, full.tenant, secret)
    with InventoryWriter(full.inventory) as writer:
        reader = InventoryReader(writer.inventory, writer.manifest)
        try:
            _, known = load_previous(reader, detector_fp)
        finally:
            reader.close()
        entries = [e for e in _walk(paths, full, strict=False) if isinstance(e, FileEntry)]
        _analyse(entries, full, secret, detector_fp, known, writer, summary, None)
    return summary


def label_config(inventory: str, key_path: str | None, files: int, workers: int | None = None) -> ScanConfig:
    """How a request labels: the default scan settings (as `sar` and `erase` detect with), a worker
    per core when there is enough to share."""
    return ScanConfig(inventory=inventory, key_path=key_path, isolate_workers=True,
                      workers=workers or (default_workers() if files >= 16 else 1))


def label_before_answering(inventory: str, key_path: str | None, identifiers: dict[str, list[str]],
                           loose: bool = False, notify=None) -> int:
    """The CLI's step before `find`, `sar` and `erase` answer; how many files were read again.

    While another process writes the inventory (a running scan or daemon) nothing can be labelled
    now: `notify` says how many files still wait, and the answer is the one the inventory holds."""
    reader = open_inventory(inventory)
    try:
        if not has_pending(reader):
            return 0
        keyer = Keyer(load_or_create_secret(ScanConfig(inventory, key_path).resolved_key_path, create=False))
        paths = paths_to_label(reader, keyer, identifiers, query_keys(keyer, identifiers, loose=loose), loose)
    finally:
        reader.close()
    return _label_or_say(label_config(inventory, key_path, len(paths)), paths, notify)


def label_everything(inventory: str, key_path: str | None, notify=None, workers: int | None = None) -> int:
    """`report` and `pdsweep label`: every pending file; how many were read again."""
    reader = open_inventory(inventory)
    try:
        paths = all_pending_paths(reader)
    finally:
        reader.close()
    return _label_or_say(label_config(inventory, key_path, len(paths), workers), paths, notify)


def _label_or_say(config: ScanConfig, paths: list[str], notify) -> int:
    if not paths:
        return 0
    try:
        label_files(config, paths)
    except InventoryLocked as exc:
        if notify:
            notify(f"pdsweep: {len(paths)} file(s) wait for NER labels (scanned with --ner deferred) and "
                   f"cannot be labelled now: {exc}; this answer may differ from a scan with NER")
        return 0
    if notify:
        notify(f"pdsweep: {len(paths)} file(s) scanned with --ner deferred read again with NER first")
    return len(paths)

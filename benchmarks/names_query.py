"""Run inside a code tree (`--root`): name-only `find` for each subject, and the index's size figures.

Called by benchmarks/names.py once per code tree (this change, and the code before it), so both
answer through their own `query_keys` and `find_locations`. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import sys


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--inventory", required=True)
    ap.add_argument("--queries", required=True, help="JSON: {'names': [...], 'true_forms': [...]}")
    args = ap.parse_args()
    sys.path.insert(0, args.root)
    from scanner.find import find_locations, query_keys
    from scanner.inventory import open_inventory
    from scanner.keys import Keyer, load_or_create_secret

    spec = json.load(open(args.queries))
    keyer = Keyer(load_or_create_secret(os.path.join(args.inventory, "key"), create=False))
    reader = open_inventory(args.inventory)
    try:
        hits = [sorted({r["path"] for r in find_locations(reader, query_keys(keyer, {"name": [name]}))})
                for name in spec["names"]]
        true_keys = {keyer.key(form) for form in spec["true_forms"]}
        stats = _stats(reader, true_keys)
    finally:
        reader.close()
    print(json.dumps(dict(hits=hits, **stats)))


def _stats(reader, true_keys: set[str]) -> dict:
    (chars,), = reader.query("SELECT coalesce(sum(chars), 0) FROM contents")
    rows = reader.query("SELECT entity_type, value_key FROM findings")
    index = [k for etype, k in rows if etype == "NAME_INDEX"]
    person = [k for etype, k in rows if etype == "PERSON"]
    return dict(chars=int(chars), findings_rows=len(rows), index_rows=len(index),
                index_true_rows=sum(k in true_keys for k in index), person_rows=len(person),
                person_true_rows=sum(k in true_keys for k in person))


if __name__ == "__main__":
    main()

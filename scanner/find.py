"""Subject lookup: every location holding any of a person's identifiers.

The query is normalised exactly as findings were, keyed with the same
secret, and compared key to key; no plaintext is read or stored.
"""
from __future__ import annotations

from datetime import datetime, timezone

from detectors.loose_names import loose_forms
from detectors.normalise import QUERY_KINDS, query_forms

from .errors import UsageError
from .inventory import InventoryReader
from .keys import Keyer


def query_keys(keyer: Keyer, identifiers: dict[str, list[str]], loose: bool = False) -> dict[str, str]:
    """{value_key: kind} for every normalised form of every identifier given.

    `loose` adds the weaker forms of a name (an initial and the surname, nicknames), each marked
    in `matched` as `name~initial` or `name~nickname`; a strict form of the same key wins."""
    keys: dict[str, str] = {}
    if loose:
        for value in identifiers.get("name", []):
            for form, kind in loose_forms(value):
                keys[keyer.key(form)] = kind
    for kind, values in identifiers.items():
        if kind not in QUERY_KINDS:
            raise UsageError(f"unknown identifier kind: {kind}")
        for value in values:
            try:
                forms = query_forms(kind, value)
            except ValueError as exc:
                raise UsageError(f"--{kind}: {exc}") from None
            for form in forms:
                keys[keyer.key(form)] = kind
    if not keys:
        raise UsageError("give at least one identifier: " + ", ".join(f"--{k}" for k in QUERY_KINDS))
    return keys


def find_locations(reader: InventoryReader, keys: dict[str, str]) -> list[dict]:
    """Locations (not gone) whose content or file name holds any of the keys."""
    db = reader.db
    import pyarrow as pa
    db.register("query_keys", pa.table({"value_key": list(keys), "kind": list(keys.values())}))
    literal = ", ".join("'" + k + "'" for k in keys)   # hex only: safe to inline, lets DuckDB prune row groups
    rows = db.execute(f"""
        WITH hits AS (
            SELECT DISTINCT f.content_hash, q.kind FROM findings f JOIN query_keys q USING (value_key)
            WHERE f.value_key IN ({literal})),
        matched AS (
            SELECT l.uri, h.kind FROM locations l JOIN hits h ON l.content_hash = h.content_hash
            WHERE l.status <> 'gone'
            UNION
            SELECT l.uri, h.kind FROM locations l JOIN hits h ON l.name_key = h.content_hash
            WHERE l.status <> 'gone'),
        by_uri AS (SELECT uri, list(DISTINCT kind ORDER BY kind) AS matched FROM matched GROUP BY uri)
        SELECT l.uri, l.path, l.members, b.matched, l.mtime_ns, l.size, l.content_hash, l.name_key,
               l.status, l.host, l.owner, l.mime
        FROM by_uri b JOIN locations l USING (uri)
        ORDER BY l.uri
    """).fetchall()
    types = _entity_types(reader, {h for r in rows for h in (r[6], r[7]) if h})
    return [_as_result(r, types) for r in rows]


def _entity_types(reader: InventoryReader, hashes: set[str]) -> dict[str, set[str]]:
    if not hashes:
        return {}
    import pyarrow as pa
    reader.db.register("hit_hashes", pa.table({"content_hash": sorted(hashes)}))
    out: dict[str, set[str]] = {}
    for h, etype in reader.query("SELECT DISTINCT content_hash, entity_type FROM findings "
                                 "WHERE content_hash IN (SELECT content_hash FROM hit_hashes) "
                                 "AND entity_type <> 'NAME_INDEX'"):   # a keyed name pair, not a label
        out.setdefault(h, set()).add(etype)
    return out


def _as_result(row: tuple, types: dict[str, set[str]]) -> dict:
    uri, path, members, matched, mtime_ns, size, content_hash, name_key, status, host, owner, mime = row
    entity_types = sorted(types.get(content_hash, set()) | types.get(name_key, set()))
    return dict(location=uri, path=path, members=list(members or []), matched=list(matched),
                entity_types=entity_types, modified=_iso(mtime_ns), size=size,
                content_hash=content_hash, status=status, host=host, owner=owner, mime=mime)


def _iso(mtime_ns: int | None) -> str | None:
    if mtime_ns is None:
        return None
    return datetime.fromtimestamp(mtime_ns / 1e9, timezone.utc).isoformat(timespec="seconds")

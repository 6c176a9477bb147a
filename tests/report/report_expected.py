"""The report's figures computed a second way, for the tests to compare with what the page shows.

Written apart from `scanner/report/figures.py` on purpose: one DuckDB join of
live locations to their findings (content or file name), then plain Python
aggregation; folders from `os.path`, kinds from the outer file's MIME type,
years from `datetime`, the cut-off from calendar arithmetic on `datetime`.
Returns {(figure name, key): value}, keys as the page's `data-key` strings.
"""
from __future__ import annotations

import os
from collections import Counter, defaultdict
from datetime import datetime, timezone

from scanner.inventory import open_inventory

MAIL = {"application/mbox", "message/rfc822"}
BACKUP = {"application/gzip", "application/zip", "application/x-7z-compressed", "application/x-tar"}


def expected_figures(inventory: str, root: str, retention_years: int, now: datetime,
                     erased_keys: dict | None = None, beyond_use: tuple = ()) -> dict[tuple, object]:
    reader = open_inventory(inventory)
    try:
        erased = reader.query("SELECT DISTINCT l.uri FROM locations l JOIN findings f "
                              "ON f.content_hash IN (l.content_hash, l.name_key) "
                              "WHERE l.status <> 'gone' AND list_contains(?, f.value_key)",
                              [list(erased_keys or {})])
        live = reader.query("SELECT uri, path, members, size, mtime_ns, mime, content_hash, status, reason "
                            "FROM locations WHERE status <> 'gone'")
        hits = reader.query("SELECT l.uri, f.entity_type, f.value_key, f.count "
                            "FROM locations l JOIN findings f "
                            "ON f.content_hash = l.content_hash OR f.content_hash = l.name_key "
                            "WHERE l.status <> 'gone' AND f.entity_type <> 'NAME_INDEX'")   # keyed pairs for find only
    finally:
        reader.close()
    names = ["uri", "path", "members", "size", "mtime_ns", "mime", "hash", "status", "reason"]
    loc = {r[0]: dict(zip(names, r)) for r in live}
    outer_mime = {r["path"]: r["mime"] for r in loc.values() if not r["members"]}
    found = Counter()
    for uri, _etype, _value, count in hits:
        found[uri] += count
    pd = {uri: loc[uri] for uri in found}
    kind_of = {uri: _kind(outer_mime.get(r["path"], "")) for uri, r in pd.items()}
    out: dict[tuple, object] = {}
    _totals(out, loc, pd, found, hits)
    _where(out, pd, found, root)
    _kinds(out, pd, found, hits, kind_of)
    _age(out, pd, found, retention_years, now)
    _duplicates(out, pd)
    if erased_keys:
        reappeared = sorted(uri for (uri,) in erased if uri not in beyond_use)
        out[("suppressed.count", None)] = len(reappeared)
        out[("suppressed.location", None)] = reappeared
    return out


def _kind(mime: str) -> str:
    return "mail" if mime in MAIL else "backup" if mime in BACKUP else "share"


def _totals(out, loc, pd, found, hits) -> None:
    out[("totals.locations", None)] = len(loc)
    out[("totals.with_personal_data", None)] = len(pd)
    out[("totals.files_with_personal_data", None)] = len({r["path"] for r in pd.values()})
    out[("totals.findings", None)] = sum(found.values())
    out[("totals.value_count", None)] = len({h[2] for h in hits})
    out[("totals.bytes_with_personal_data", None)] = sum(r["size"] or 0 for r in pd.values())
    not_read = [r for r in loc.values() if r["status"] != "ok"]
    out[("totals.not_read", None)] = len(not_read)
    reasons = Counter((r["status"], r["reason"] or "(no reason given)") for r in not_read)
    for (status, reason), n in reasons.items():
        out[("not_read.locations", f"{status}: {reason}")] = n
    by_type = defaultdict(lambda: dict(locations=set(), findings=0, values=set()))
    for uri, etype, value, count in hits:
        by_type[etype]["locations"].add(uri)
        by_type[etype]["findings"] += count
        by_type[etype]["values"].add(value)
    for etype, t in by_type.items():
        out[("entity.locations", etype)] = len(t["locations"])
        out[("entity.findings", etype)] = t["findings"]
        out[("entity.value_count", etype)] = len(t["values"])


def _where(out, pd, found, root) -> None:
    folders = Counter()
    files = Counter()
    for uri, r in pd.items():
        files[r["path"]] += found[uri]
        out[("where.location.findings", uri)] = found[uri]
    for path, n in files.items():
        out[("where.findings", path)] = n
        folder = os.path.dirname(path)
        while True:
            folders[folder] += n
            if folder == root or len(folder) <= len(root):
                break
            folder = os.path.dirname(folder)
    for folder, n in folders.items():
        out[("where.findings", folder)] = n


def _kinds(out, pd, found, hits, kind_of) -> None:
    for kind in ("mail", "share", "backup"):
        uris = [u for u in pd if kind_of[u] == kind]
        out[("kind.locations", kind)] = len(uris)
        out[("kind.files", kind)] = len({pd[u]["path"] for u in uris})
        out[("kind.findings", kind)] = sum(found[u] for u in uris)
        out[("kind.value_count", kind)] = len({h[2] for h in hits if h[0] in set(uris)})
        out[("kind.bytes", kind)] = sum(pd[u]["size"] or 0 for u in uris)


def _age(out, pd, found, retention_years, now) -> None:
    dated = {u: r for u, r in pd.items() if r["mtime_ns"] is not None}
    years = Counter(datetime.fromtimestamp(r["mtime_ns"] / 1e9, timezone.utc).year for r in dated.values())
    for year in range(min(years), max(years) + 1) if years else []:
        out[("age.year", str(year))] = years.get(year, 0)
    if len(dated) < len(pd):
        out[("age.undated", None)] = len(pd) - len(dated)
    try:
        cutoff = now.replace(year=now.year - retention_years)
    except ValueError:      # 29 February
        cutoff = now.replace(year=now.year - retention_years, day=28)
    cutoff_ns = int(cutoff.timestamp() * 10**6) * 1000
    old = {u: r for u, r in dated.items() if r["mtime_ns"] < cutoff_ns}
    out[("age.older.count", None)] = len(old)
    out[("age.older.bytes", None)] = sum(r["size"] or 0 for r in old.values())
    out[("age.older.location", None)] = sorted(old)
    for uri in old:
        out[("age.older.findings", uri)] = found[uri]


def _duplicates(out, pd) -> None:
    by_hash = defaultdict(list)
    for r in pd.values():
        if r["hash"]:
            by_hash[r["hash"]].append(r)
    groups = {h: rs for h, rs in by_hash.items() if len(rs) > 1}
    out[("duplicates.groups", None)] = len(groups)
    out[("duplicates.redundant_copies", None)] = sum(len(rs) - 1 for rs in groups.values())
    out[("duplicates.redundant_bytes", None)] = sum((len(rs) - 1) * (rs[0]["size"] or 0)
                                                    for rs in groups.values())
    for h, rs in groups.items():
        out[("duplicates.copies", h[:12])] = len(rs)

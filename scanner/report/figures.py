"""Every figure of the report, computed with DuckDB SQL over the reader's views.

The HTML page and `--format json` are both drawn from `compute_figures`, so
they can never disagree. Definitions (also shown in the report):

- a location *holds personal data* when its content or its file name has at
  least one finding; `gone` locations are left out everywhere;
- *findings* is the sum of occurrence counts; *values* the distinct keyed values;
- *kind* is what the outermost file on disk is: a mailbox or message (mail),
  an archive or compressed file (backup), anything else (share);
- *age* is the location's own last-modified time (an archive member keeps the
  time stored in the archive).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..inventory import InventoryReader
from .retention import Retention
from .tree import build_tree

MAIL_MIMES = ("application/mbox", "message/rfc822", "application/vnd.ms-outlook")
ARCHIVE_MIMES = ("application/zip", "application/x-tar", "application/x-7z-compressed", "application/gzip",
                 "application/x-gzip", "application/x-bzip2", "application/x-xz")
KINDS = ("mail", "share", "backup")
HISTOGRAM_YEARS = 40


@dataclass(frozen=True)
class FigureLimits:
    """Caps on long lists, so a report of a large estate stays a readable file."""
    retention_items: int = 500
    duplicate_groups: int = 100
    duplicate_locations: int = 25
    folders: int = 500                # the folders with most findings, with all their ancestors
    files: int = 2000                 # the files with most findings, in those folders
    locations_per_file: int = 50      # members of one archive or mailbox
    previews_per_location: int = 3


def compute_figures(reader: InventoryReader, retention: Retention, now: datetime | None = None,
                    limits: FigureLimits = FigureLimits()) -> dict:
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
    _create_tables(reader)
    cutoff_ns = _scalar(reader, f"SELECT epoch_ns(?::TIMESTAMP - {retention.sql_interval})", [now])
    return dict(
        as_of=now.isoformat(timespec="seconds") + "Z",
        inventory=reader.inventory,
        totals=_totals(reader),
        where=_where(reader, limits),
        kind=_kinds(reader),
        age=_age(reader, retention, cutoff_ns, limits),
        duplicates=_duplicates(reader, limits),
        suppressed=_suppressed(reader),
    )


def _create_tables(reader: InventoryReader) -> None:
    mail = ", ".join(f"'{m}'" for m in MAIL_MIMES)
    archive = ", ".join(f"'{m}'" for m in ARCHIVE_MIMES)
    reader.db.execute(f"""
        CREATE OR REPLACE TEMP TABLE report_live AS
            SELECT uri, path, members, content_hash, name_key, size, mtime_ns, owner, mime, container,
                   status, reason
            FROM locations WHERE status <> 'gone';
        -- One row per (key, entity type, value): content re-analysed by another detector counts once.
        CREATE OR REPLACE TEMP VIEW report_values AS
            SELECT content_hash AS key, entity_type, value_key, max(count) AS count, min(preview) AS preview
            FROM findings WHERE entity_type <> 'NAME_INDEX' GROUP BY ALL;  -- name pairs only serve `find`
        -- A location's findings: those of its content plus those of its file name.
        CREATE OR REPLACE TEMP TABLE report_hits AS
            SELECT l.uri, v.* EXCLUDE (key) FROM report_live l JOIN report_values v ON v.key = l.content_hash
            UNION ALL
            SELECT l.uri, v.* EXCLUDE (key) FROM report_live l JOIN report_values v ON v.key = l.name_key;
        CREATE OR REPLACE TEMP VIEW report_outer AS
            SELECT path, mime AS outer_mime, owner AS outer_owner,
                   CASE WHEN mime IN ({mail}) OR (container AND mime = 'text/plain') THEN 'mail'
                        WHEN mime IN ({archive}) THEN 'backup' ELSE 'share' END AS kind
            FROM report_live WHERE len(members) = 0;
        CREATE OR REPLACE TEMP TABLE report_pd AS
            SELECT l.uri, l.path, l.members, l.content_hash, l.size, l.mtime_ns, l.mime,
                   coalesce(l.owner, o.outer_owner) AS owner, coalesce(o.kind, 'share') AS kind,
                   h.findings, h.value_count, h.entity_types
            FROM report_live l
            JOIN (SELECT uri, sum(count)::BIGINT AS findings, count(DISTINCT value_key) AS value_count,
                         list(DISTINCT entity_type ORDER BY entity_type) AS entity_types
                  FROM report_hits GROUP BY uri) h USING (uri)
            LEFT JOIN report_outer o USING (path);
    """)


def _totals(reader: InventoryReader) -> dict:
    (locations, outer_files, bytes_scanned), = reader.query(
        "SELECT count(*), count(*) FILTER (len(members) = 0), "
        "coalesce(sum(size) FILTER (len(members) = 0), 0) "
        "FROM report_live")
    (with_pd, files_with_pd, bytes_pd, findings, values), = reader.query(
        "SELECT count(*), count(DISTINCT path), coalesce(sum(size), 0), coalesce(sum(findings), 0), "
        "(SELECT count(DISTINCT value_key) FROM report_hits) FROM report_pd")
    by_type = _dicts(reader, """
        SELECT entity_type, count(DISTINCT uri) AS locations, sum(count)::BIGINT AS findings,
               count(DISTINCT value_key) AS value_count
        FROM report_hits GROUP BY entity_type ORDER BY findings DESC, entity_type""")
    by_status = _dicts(reader, """
        SELECT status, coalesce(nullif(reason, ''), '(no reason given)') AS reason, count(*) AS locations
        FROM report_live WHERE status <> 'ok' GROUP BY ALL ORDER BY locations DESC, status, reason""")
    return dict(locations=locations, outer_files=outer_files, bytes_scanned=int(bytes_scanned),
                with_personal_data=with_pd, files_with_personal_data=files_with_pd,
                bytes_with_personal_data=int(bytes_pd), findings=int(findings), value_count=values,
                not_read=sum(s["locations"] for s in by_status), by_entity_type=by_type,
                not_read_by_reason=by_status)


def _where(reader: InventoryReader, limits: FigureLimits) -> dict:
    # Each outer file holding personal data (itself or any member) under the outermost scan root above it,
    # so scanning /srv/share and later /srv gives one tree, not two.
    reader.db.execute("""
        CREATE OR REPLACE TEMP TABLE report_files AS
        WITH per_file AS (
            SELECT path, sum(findings)::BIGINT AS findings, count(*) AS locations, any_value(kind) AS kind
            FROM report_pd GROUP BY path),
        roots AS (SELECT DISTINCT rtrim(unnest(roots), '/') AS root FROM scans)
        SELECT f.*, regexp_replace(f.path, '/[^/]*$', '') AS folder, coalesce(o.size, 0) AS bytes, o.owner,
               coalesce((SELECT min_by(root, length(root)) FROM roots
                         WHERE starts_with(f.path, root || '/') AND root <> ''),
                        regexp_replace(f.path, '/[^/]*$', '')) AS root
        FROM per_file f LEFT JOIN report_live o ON o.path = f.path AND len(o.members) = 0""")
    reader.db.execute("""
        CREATE OR REPLACE TEMP TABLE report_folders AS
        WITH split AS (
            SELECT *, string_split(substr(path, length(root) + 2), '/') AS parts FROM report_files),
        ancestors AS (
            SELECT root, CASE WHEN depth = 0 THEN root
                              ELSE root || '/' || array_to_string(parts[1:depth], '/') END AS folder,
                   depth, findings, locations, bytes
            FROM split, unnest(range(0, len(parts))) AS t(depth)),
        direct AS (SELECT folder, count(*) AS direct_files FROM report_files GROUP BY folder)
        SELECT root, folder, depth, sum(findings)::BIGINT AS findings, count(*) AS files,
               sum(locations)::BIGINT AS locations, sum(bytes)::BIGINT AS bytes,
               coalesce(any_value(direct_files), 0) AS direct_files
        FROM ancestors LEFT JOIN direct USING (folder) GROUP BY root, folder, depth""")
    # The largest folders only: a folder never has fewer findings than a child, so ranking by findings
    # (parents first on ties) keeps every listed folder's parent listed too.
    reader.db.execute(f"""
        CREATE OR REPLACE TEMP TABLE report_folders_listed AS SELECT * FROM report_folders
        QUALIFY row_number() OVER (ORDER BY findings DESC, depth, folder) <= {limits.folders}""")
    folders = _dicts(reader, "SELECT * FROM report_folders_listed "
                             "ORDER BY root, depth, findings DESC, folder")
    (folders_total,), = reader.query("SELECT count(*) FROM report_folders")
    files = _dicts(reader, f"""
        SELECT path, folder, root, kind, findings, locations, bytes, owner
        FROM report_files WHERE folder IN (SELECT folder FROM report_folders_listed)
        QUALIFY row_number() OVER (ORDER BY findings DESC, path) <= {limits.files}
        ORDER BY findings DESC, path""")
    # Masked previews: one per entity type first, so a file with names and emails shows both.
    members = _dicts(reader, f"""
        WITH listed AS (
            SELECT p.path, p.uri, p.members, p.findings, p.entity_types, p.size FROM report_pd p
            WHERE p.path IN (SELECT path FROM report_files
                             WHERE folder IN (SELECT folder FROM report_folders_listed))
            QUALIFY row_number() OVER (PARTITION BY p.path ORDER BY p.findings DESC, p.uri)
                    <= {limits.locations_per_file}),
        ranked AS (
            SELECT uri, entity_type, preview,
                   row_number() OVER (PARTITION BY uri, entity_type ORDER BY preview) AS rank
            FROM (SELECT DISTINCT uri, entity_type, preview FROM report_hits
                  WHERE uri IN (SELECT uri FROM listed))),
        previews AS (
            SELECT uri, list(preview ORDER BY rank, entity_type, preview)[1:{limits.previews_per_location}]
                   AS previews
            FROM ranked GROUP BY uri)
        SELECT l.*, v.previews FROM listed l LEFT JOIN previews v USING (uri)
        ORDER BY l.path, l.findings DESC, l.uri""")
    return dict(roots=build_tree(folders, files, members), folders=folders_total, folders_shown=len(folders))


def _kinds(reader: InventoryReader) -> list[dict]:
    rows = {r["kind"]: r for r in _dicts(reader, """
        SELECT kind, count(*) AS locations, count(DISTINCT path) AS files, sum(findings)::BIGINT AS findings,
               coalesce(sum(size), 0)::BIGINT AS bytes,
               (SELECT count(DISTINCT h.value_key) FROM report_hits h JOIN report_pd q USING (uri)
                WHERE q.kind = p.kind) AS value_count
        FROM report_pd p GROUP BY kind""")}
    empty = dict(locations=0, files=0, findings=0, bytes=0, value_count=0)
    return [{**empty, **rows.get(kind, {}), "kind": kind} for kind in KINDS]


def _age(reader: InventoryReader, retention: Retention, cutoff_ns: int, limits: FigureLimits) -> dict:
    # At most HISTOGRAM_YEARS bars: a bogus date (1601, 1980 from a zip without times) joins the first bar.
    histogram = _dicts(reader, f"""
        WITH dated AS (SELECT year(make_timestamp(mtime_ns // 1000)) AS year, size FROM report_pd
                       WHERE mtime_ns IS NOT NULL),
        first AS (SELECT max(year) - {HISTOGRAM_YEARS - 1} AS first_year FROM dated),
        years AS (SELECT greatest(year, first_year) AS year, size, year < first_year AS earlier
                  FROM dated, first),
        span AS (SELECT unnest(range(min(year), max(year) + 1)) AS year FROM years)
        SELECT span.year, count(years.year) AS locations, coalesce(sum(years.size), 0)::BIGINT AS bytes,
               coalesce(bool_or(years.earlier), false) AS and_earlier
        FROM span LEFT JOIN years USING (year) GROUP BY span.year ORDER BY span.year""")
    (old_count, old_bytes, undated), = reader.query(
        "SELECT count(*) FILTER (mtime_ns < ?), coalesce(sum(size) FILTER (mtime_ns < ?), 0), "
        "count(*) FILTER (mtime_ns IS NULL) FROM report_pd", [cutoff_ns, cutoff_ns])
    items = _dicts(reader, f"""
        SELECT uri AS location, strftime(make_timestamp(mtime_ns // 1000), '%Y-%m-%d') AS modified,
               size, owner, kind, findings, entity_types
        FROM report_pd WHERE mtime_ns < ?
        ORDER BY mtime_ns, uri LIMIT {limits.retention_items}""", [cutoff_ns])
    cutoff = _scalar(reader, "SELECT strftime(make_timestamp(? // 1000), '%Y-%m-%d')", [cutoff_ns])
    return dict(histogram=histogram, undated=undated, retention=retention.text, cutoff=cutoff,
                older=dict(count=old_count, bytes=int(old_bytes), items=items, shown=len(items)))


def _duplicates(reader: InventoryReader, limits: FigureLimits) -> dict:
    reader.db.execute("""
        CREATE OR REPLACE TEMP VIEW report_dupes AS
        SELECT content_hash, count(*) AS copies, any_value(size) AS size, any_value(findings) AS findings,
               any_value(entity_types) AS entity_types, list(uri ORDER BY uri) AS locations
        FROM report_pd WHERE content_hash IS NOT NULL AND content_hash <> ''
        GROUP BY content_hash HAVING count(*) > 1""")
    (groups, redundant, redundant_bytes), = reader.query(
        "SELECT count(*), coalesce(sum(copies - 1), 0), coalesce(sum((copies - 1) * size), 0) "
        "FROM report_dupes")
    items = _dicts(reader, f"""
        SELECT left(content_hash, 12) AS content, copies, size, findings, entity_types,
               locations[1:{limits.duplicate_locations}] AS locations
        FROM report_dupes ORDER BY copies DESC, findings DESC, content_hash
        LIMIT {limits.duplicate_groups}""")
    return dict(groups=groups, redundant_copies=int(redundant), redundant_bytes=int(redundant_bytes),
                items=items, shown=len(items))


def _suppressed(reader: InventoryReader) -> dict:
    """Suppressed subjects found again, from the requests package when it is there."""
    try:
        from ..requests import suppressed_hits
    except ImportError:
        return dict(recorded=False, count=0, items=[], note="no suppression register in this installation")
    try:
        items = [dict(hit) for hit in suppressed_hits(reader)]
    except Exception as exc:  # the report must still render; name the failure, never its message
        note = f"suppression register unreadable ({type(exc).__name__})"
        return dict(recorded=False, count=0, items=[], note=note)
    return dict(recorded=True, count=len(items), items=items, note="")


def _dicts(reader: InventoryReader, sql: str, params: list | None = None) -> list[dict]:
    cursor = reader.db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _scalar(reader: InventoryReader, sql: str, params: list | None = None):
    return reader.db.execute(sql, params or []).fetchone()[0]

"""Parquet schemas of the inventory (documented in the README; a public contract).

- locations: one row per location URI (the latest state wins; `gone` marks deletions).
- findings: content-addressed — one row per (content hash, entity type, value key).
- contents: one row per unique content analysed (so "analysed once" is checkable).
- scans: one row per run.
No column ever holds a personal value in plaintext: values are HMAC keys plus masked previews.
"""
import pyarrow as pa

LOCATIONS = pa.schema([
    ("seq", pa.int64()),              # write order; the highest seq per uri is the current row
    ("uri", pa.string()),             # DESIGN.md location URI
    ("path", pa.string()),            # the outermost file
    ("members", pa.list_(pa.string())),
    ("parent_uri", pa.string()),      # the enclosing container's URI, null for outer files
    ("content_hash", pa.string()),    # SHA-256 of the content; joins to findings
    ("name_key", pa.string()),        # keyed file name; joins to findings of the file name itself
    ("size", pa.int64()),
    ("mtime_ns", pa.int64()),
    ("inode", pa.int64()),            # outer files only: (size, mtime_ns, inode) decide "unchanged"
    ("owner", pa.string()),
    ("mime", pa.string()),
    ("container", pa.bool_()),
    ("status", pa.string()),          # ok | skipped | error | encrypted | timeout | gone
    ("reason", pa.string()),
    ("host", pa.string()),
    ("scan_id", pa.string()),
    ("detector", pa.string()),        # fingerprint of the detector settings that analysed it
    ("seen_at", pa.timestamp("us", tz="UTC")),
    ("duration_s", pa.float64()),     # recordings: length in seconds
    ("started", pa.timestamp("us", tz="UTC")),  # recordings: call start as the file says it (wall time)
])

FINDINGS = pa.schema([
    ("content_hash", pa.string()),    # or a location's name_key, for findings in a file name
    ("entity_type", pa.string()),     # PERSON, EMAIL_ADDRESS, PHONE_NUMBER, UK_POSTCODE...
    ("kind", pa.string()),            # the `find` field it answers: name, email, phone... (or the type's class)
    ("value_key", pa.string()),       # HMAC-SHA256(secret, normalised form), 128 bits hex
    ("count", pa.int32()),
    ("score", pa.float32()),          # best score
    ("first_offset", pa.int64()),     # into the extracted text
    ("first_page", pa.int32()),       # 1-based page of first_offset (PDF, TIFF, scans); null where none
    ("ocr", pa.bool_()),              # first_offset lies in text recognised by OCR (a scan or photo)
    ("preview", pa.string()),         # masked: j***@example.co.uk
    ("detector", pa.string()),
])

CONTENTS = pa.schema([
    ("content_hash", pa.string()),
    ("chars", pa.int64()),
    ("findings", pa.int32()),
    ("detector", pa.string()),
    ("status", pa.string()),          # ok | timeout | error (text could not be fully analysed)
    # NER deferred (scan --ner deferred): PERSON labels wait for a request that needs them
    # (scanner/labels.py); `name_words` are the keyed words of its text, for telling which requests do.
    ("ner_pending", pa.bool_()),
    ("name_words", pa.list_(pa.int32())),
])

SCANS = pa.schema([
    ("scan_id", pa.string()),
    ("host", pa.string()),
    ("roots", pa.list_(pa.string())),
    ("started", pa.timestamp("us", tz="UTC")),
    ("ended", pa.timestamp("us", tz="UTC")),
    ("files", pa.int64()),            # outer files seen
    ("files_read", pa.int64()),       # outer files read (changed or new)
    ("locations", pa.int64()),
    ("bytes_read", pa.int64()),
    ("analysed", pa.int64()),         # unique contents analysed
    ("findings", pa.int64()),
    ("skipped", pa.int64()),
    ("errors", pa.int64()),
    ("gone", pa.int64()),
    ("detector", pa.string()),
    ("status", pa.string()),          # completed | interrupted | failed
])

TABLES = {"locations": LOCATIONS, "findings": FINDINGS, "contents": CONTENTS, "scans": SCANS}

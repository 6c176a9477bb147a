"""What the inventory already knows, for incremental scans."""
from __future__ import annotations

from dataclasses import dataclass

from .inventory import InventoryReader


@dataclass(frozen=True)
class OuterState:
    size: int
    mtime_ns: int
    inode: int
    status: str
    detector: str
    read_whole: bool = False    # its content was read and hashed (an error then is the parser's verdict)


def load_previous(reader: InventoryReader, detector_fp: str,
                  labelled_fp: str | None = None) -> tuple[dict[str, OuterState], frozenset[str]]:
    """Outer files as last seen, and the content hashes already analysed with these settings (or, for a
    scan with NER deferred, labelled since: fingerprint.labelled_fingerprint)."""
    outers = {
        path: OuterState(size or 0, mtime or 0, inode or 0, status, det or "", bool(hashed))
        for path, size, mtime, inode, status, det, hashed in reader.query(
            "SELECT path, size, mtime_ns, inode, status, detector, content_hash IS NOT NULL FROM locations "
            "WHERE len(members) = 0 AND status <> 'gone'")
    }
    known = frozenset(h for (h,) in reader.query(
        "SELECT DISTINCT content_hash FROM contents WHERE detector IN (?, ?) AND status = 'ok'",
        [detector_fp, labelled_fp or detector_fp]))
    return outers, known


# Statuses worth retrying even when the file looks unchanged: the cause may be gone (a refused or
# failed read, a worker that died). An error after the whole content was read and hashed is its
# parser's verdict on those bytes: the same bytes and the same detector give the same verdict, so a
# corrupt file is not read again on every scan (it is once the file or pdsweep's version changes).
RETRY_STATUSES = {"error"}


def unchanged(prev: OuterState | None, size: int, mtime_ns: int, inode: int, detector_fp: str,
              labelled_fp: str | None = None) -> bool:
    return (prev is not None and prev.size == size and prev.mtime_ns == mtime_ns and prev.inode == inode
            and prev.detector in (detector_fp, labelled_fp)
            and (prev.status not in RETRY_STATUSES or prev.read_whole))

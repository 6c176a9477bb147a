"""Embedded messages in a PST (a message attached to a message), which libpff does not expose.

pypff hands over an embedded message attachment only as the raw bytes of its
property context: a heap-on-node holding a BTree of properties ([MS-PST]
2.3.1 HN, 2.3.2 BTH, 2.3.3 PC). We read the properties that live in the
heap's first block (subject, sender, display recipients, a short body...);
values kept in sub-nodes or later blocks are out of reach and are left out.
"""
from __future__ import annotations

import struct

HN_SIGNATURE, PC_CLIENT, BTH_TYPE = 0xEC, 0xBC, 0xB5
_MAX_LEVELS = 8
_UNICODE, _ANSI, _INT32 = 0x1F, 0x1E, 0x03


class _Heap:
    def __init__(self, buf: bytes):
        self.buf = buf
        ib_hnpm, signature, client, self.user_root = struct.unpack_from("<HBBI", buf, 0)
        if signature != HN_SIGNATURE or client != PC_CLIENT:
            raise ValueError("not a property context")
        count = struct.unpack_from("<H", buf, ib_hnpm)[0]
        self.offsets = struct.unpack_from(f"<{count + 1}H", buf, ib_hnpm + 4)

    def item(self, hid: int) -> bytes | None:
        """A heap item by HID, or None when it is a sub-node or lies in another block."""
        index, block = (hid >> 5) & 0x7FF, hid >> 16
        if hid & 0x1F or block or not 0 < index < len(self.offsets):
            return None
        start, end = self.offsets[index - 1], self.offsets[index]
        return self.buf[start:end] if start <= end <= len(self.buf) else None


def _records(heap: _Heap, hid: int, key_size: int, entry_size: int, levels: int):
    data = heap.item(hid) or b""
    if levels == 0:
        for i in range(0, len(data) - entry_size + 1, key_size + entry_size):
            yield data[i:i + key_size + entry_size]
        return
    for i in range(0, len(data) - key_size - 4 + 1, key_size + 4):
        child = struct.unpack_from("<I", data, i + key_size)[0]
        yield from _records(heap, child, key_size, entry_size, levels - 1)


def _value(heap: _Heap, kind: int, raw: int):
    if kind == _INT32:
        return raw
    if kind not in (_UNICODE, _ANSI):
        return None
    data = heap.item(raw)
    if data is None:
        return None
    text = data.decode("utf-16-le", errors="replace") if kind == _UNICODE else data.decode("cp1252", "replace")
    return text.replace("\x00", "").strip()


def embedded_properties(buf: bytes) -> dict[int, object]:
    """Property tag -> string or int32 value, for what the heap's first block holds."""
    heap = _Heap(buf)
    header = heap.item(heap.user_root)
    if not header or len(header) < 8:
        raise ValueError("no BTree header")
    kind, key_size, entry_size, levels, root = struct.unpack_from("<BBBBI", header)
    if kind != BTH_TYPE or key_size != 2 or entry_size != 6 or levels > _MAX_LEVELS:
        raise ValueError("not a property BTree")
    props: dict[int, object] = {}
    for record in _records(heap, root, key_size, entry_size, levels):
        tag, value_type, raw = struct.unpack_from("<HHI", record)
        value = _value(heap, value_type, raw)
        if value not in (None, ""):
            props[tag] = value
    return props

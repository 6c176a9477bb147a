"""Named limits for containers and documents (trufflehog-style caps).

Every cap has a name so that a location that hits one is recorded as
`skipped` with, e.g., `limit: max_ratio`.
"""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_depth: int = 8                      # nesting levels below the outer file
    max_member_bytes: int = 256 * MB        # one decompressed member, held in memory or spooled
    max_container_bytes: int = 4096 * MB    # decompressed bytes read from one container
    max_total_bytes: int = 16384 * MB       # decompressed bytes read below one outer file
    max_ratio: float = 200.0                # decompressed / compressed size of a member
    max_members: int = 200_000              # members listed in one container
    doc_timeout_s: float = 120.0            # wall time to extract and detect one document
    max_text_bytes: int = 64 * MB           # extracted text kept from a non-streaming format
    max_page_chars: int = 100_000           # characters on one PDF page (pdfminer holds ~2 KB each)
    spool_memory_bytes: int = 16 * MB       # members larger than this are spooled to a private temp file
    chunk_chars: int = 100_000              # text is analysed in units of this many characters (NER memory)
    chunk_overlap: int = 200                # and consecutive chunks overlap by this much
    # OCR of scans and photos (connectors/ocr): only where a file has no usable text
    ocr: bool = True                        # False: --no-ocr, or `ocr = false` under [limits]
    ocr_engine: str = "auto"                # auto | rapidocr | tesseract (auto: see connectors/ocr/engines.py)
    ocr_page_timeout_s: float = 30.0        # wall time to recognise one page or image
    ocr_max_pages: int = 50                 # pages recognised in one document (the rest recorded)
    ocr_max_image_pixels: int = 40_000_000  # pixels of one image or rendered page (a 300 dpi A3 is 17M)
    ocr_min_page_chars: int = 40            # a PDF page with fewer text-layer characters is read by OCR...
    ocr_min_image_cover: float = 0.5        # ...and so is one whose images cover this share of it, up to
    ocr_max_text_layer_chars: int = 400     # this many text-layer characters (a stamp on a scan)
    max_audio_minutes: float = 60.0         # of one recording transcribed (the rest is not)
    max_audio_hours: float = 24.0           # of audio transcribed in one scan, shared evenly by the workers


class LimitExceeded(Exception):
    """A named cap was hit; the container keeps what was found so far."""

    def __init__(self, limit: str, detail: str = ""):
        self.limit = limit
        super().__init__(f"limit: {limit}" + (f" ({detail})" if detail else ""))

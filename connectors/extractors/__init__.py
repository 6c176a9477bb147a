"""Text extractors, one module per format family, chosen by sniffed MIME type.

An extractor is `extract(blob, ctx) -> Extracted`. Register it in EXTRACTORS.
Every extractor raises only ConnectorError subclasses (CorruptError,
EncryptedError) or LimitExceeded, whether at the call or while its chunks
are read. Where an extractor returns Fields, they fill in as the chunks are
read: consume `chunks` before reading `fields`.
"""
from __future__ import annotations

from typing import Callable

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .decrypt import extract_encrypted_office
from .delimited import extract_csv, extract_tsv
from .excel97 import extract_xls
from .images import IMAGE_MIMES, extract_image
from .jsontext import extract_json
from .markup import extract_html, extract_xml
from .ole import GENERIC_OLE, ole_format
from .office import extract_docx, extract_odp, extract_odt, extract_pptx
from .ppt97 import extract_ppt
from .pdf import extract_pdf
from .plain import extract_plain
from .rtf import extract_rtf
from .spreadsheet import extract_ods, extract_xlsx
from .vcard import extract_vcard
from .word97 import extract_doc
from ..media import is_audio

Extractor = Callable[[Blob, ExploreContext], Extracted]

_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."


EXTRACTORS: dict[str, Extractor] = {
    "text/csv": extract_csv,
    "application/csv": extract_csv,
    "text/tab-separated-values": extract_tsv,
    "application/json": extract_json,
    "text/json": extract_json,
    "application/x-ndjson": extract_json,
    "text/xml": extract_xml,
    "application/xml": extract_xml,
    "image/svg+xml": extract_xml,
    "text/html": extract_html,
    "application/xhtml+xml": extract_html,
    _OOXML + "wordprocessingml.document": extract_docx,
    _OOXML + "wordprocessingml.template": extract_docx,
    _OOXML + "presentationml.presentation": extract_pptx,
    _OOXML + "presentationml.slideshow": extract_pptx,
    _OOXML + "spreadsheetml.sheet": extract_xlsx,
    _OOXML + "spreadsheetml.template": extract_xlsx,
    _ODF + "text": extract_odt,
    _ODF + "text-template": extract_odt,
    _ODF + "spreadsheet": extract_ods,
    _ODF + "spreadsheet-template": extract_ods,
    _ODF + "presentation": extract_odp,
    _ODF + "presentation-template": extract_odp,
    _ODF + "graphics": extract_odp,
    _ODF + "graphics-template": extract_odp,
    "application/msword": extract_doc,
    "application/vnd.ms-excel": extract_xls,
    "application/vnd.ms-powerpoint": extract_ppt,
    "application/pdf": extract_pdf,
    "text/rtf": extract_rtf,
    "application/rtf": extract_rtf,
    "text/vcard": extract_vcard,
    "text/x-vcard": extract_vcard,
    "text/directory": extract_vcard,
    "application/x-dif": extract_plain,       # Data Interchange Format: text cells, one per line
    "application/x-sylk": extract_plain,      # SYLK: text records, values in C;K"..." fields
    "message/news": extract_plain,      # libmagic's name for text opening "Path:", "Article", "Newsgroups:"
    "application/encrypted": extract_encrypted_office,     # libmagic: an encrypted OLE package
    **{mime: extract_image for mime in IMAGE_MIMES},
}


_OLE_EXTRACTORS: dict[str, Extractor] = {"doc": extract_doc, "xls": extract_xls, "ppt": extract_ppt,
                                          "encrypted": extract_encrypted_office}


def extractor_for(mime: str, blob: Blob) -> Extractor | None:
    if mime in EXTRACTORS:
        return EXTRACTORS[mime]
    if is_audio(mime):
        from ..media.extract import extract_audio   # numpy and the decoders load only where a recording is met
        return extract_audio
    if mime in GENERIC_OLE:
        # a large .doc/.xls whose directory lies beyond the head libmagic saw (a .msg is a container)
        return _OLE_EXTRACTORS.get(ole_format(blob) or "")
    if mime.startswith("text/"):
        return extract_plain
    return None

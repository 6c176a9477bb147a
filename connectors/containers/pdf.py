"""A PDF as a container: its embedded files and file attachments are members (`form.pdf!/cv.docx`).

The PDF's own text (pages, form data) is the container's own text, read by the
PDF extractor. A PDF that cannot be opened has no members here: its own text
then records why, exactly as for a PDF without attachments.
"""
from __future__ import annotations

from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted, Skipped
from ..errors import ConnectorError
from ..extractors.pdf import extract_pdf, open_document
from ..extractors.pdf_objects import embedded_files, stream_reader
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, NameDeduper, released


class PdfContainer:
    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        with blob.open() as stream:
            try:
                doc = open_document(stream)
                files = embedded_files(doc)
                yield from self._members(blob, files, ctx)
            except (ConnectorError, LimitExceeded):
                raise
            except Exception:   # a damaged PDF: its own text says so
                return

    def _members(self, blob: Blob, files, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        budget = ContainerBudget(ctx)
        unique = NameDeduper()
        for number, (name, stream) in enumerate(files, 1):
            budget.next_member()
            location = blob.location.child(unique(name or f"attachment-{number}"))
            try:
                raw = stream.rawdata if stream.rawdata is not None else stream.data
                compressed = min(len(raw or b""), blob.size)
                budget.check_declared(0, compressed)
                member = budget.read(location, stream_reader(stream), compressed=compressed)
            except MemberLimit as exc:
                yield budget.skipped(location, exc)
                continue
            except LimitExceeded:
                raise
            except ConnectorError as exc:
                yield Skipped(location, exc.status, str(exc))
                continue
            except Exception as exc:   # a damaged stream costs this attachment only
                yield Skipped(location, "error", f"pdf: attachment corrupt ({type(exc).__name__})")
                continue
            yield from released(member, ctx.tmpdir)
        budget.raise_if_incomplete()

    def own_text(self, blob: Blob, ctx: ExploreContext) -> Extracted:
        return extract_pdf(blob, ctx)

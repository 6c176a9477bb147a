"""A message's MIME tree by splitting its text, for the messages where that gives exactly the stdlib's tree.

The stdlib's FeedParser walks a message line by line in Python, matching every body line against
every enclosing boundary: for a multipart message with attachments that was most of its parse
(issue 16). Here the header blocks are still parsed by the stdlib (the same code, the same header
objects and defects), but bodies are cut where a search for each multipart's boundary finds it on
a line of its own, and handed over whole.

`split` returns the tree `BytesParser(policy).parse` would build, or None where its rules are not
followed exactly. Everything unusual goes to the stdlib parser, whole: a header block that does
not end in a blank line or holds a line that is not a header (a defect), a `From ` line below the
first header, message/delivery-status and multipart/digest parts, a multipart without a boundary,
with a transfer encoding other than 7bit/8bit/binary, without a start or close boundary or with two
boundary lines in a row, and multiparts nested too deep for this module's recursion.
`tests/test_mime_split.py` and `benchmarks/mime_split_check.py` compare whole trees.
"""
from __future__ import annotations

from email.feedparser import headerRE
from email.message import Message
from email.parser import Parser

from .header_memo import mime_raw_values
from .plain_headers import mime_view, reads_mime_headers_plainly

_MULTIPART_TRANSFER = ("7bit", "8bit", "binary")


def split(data: bytes, policy) -> Message | None:
    # BytesParser reads bytes through a text wrapper with universal newlines: CR LF and a lone CR
    # become LF before its parser sees a line, so only LF ends a line below.
    text = data.decode("ascii", "surrogateescape")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return _entity(text, policy, in_multipart=False)
    except RecursionError:      # multiparts nested hundreds deep: the stdlib decides what they are
        return None


def _entity(text: str, policy, in_multipart: bool) -> Message | None:
    """One message or part: its header block parsed by the stdlib, its body cut here. In a multipart,
    the line break before the next boundary line belongs to the boundary, not to the part."""
    head_body = _head_and_body(text)
    if head_body is None:
        return None
    head, body = head_body
    msg = _headers_only(head, policy)   # the body is set below
    mime = _mime_reader(msg, policy)
    # Fetched once: each get_content_* call fetches the header again (get_content_maintype is
    # get_content_type().split("/")[0]).
    content_type = mime.get_content_type()
    maintype = content_type.split("/")[0]
    if maintype == "message":
        # An attached message: what follows its header block is a message of its own, and that
        # message's text ends where this part's does (the line break is taken from its end).
        if content_type == "message/delivery-status":
            return None
        inner = _entity(body, policy, in_multipart)
        if inner is None:
            return None
        msg.set_payload([inner])
        return msg
    if maintype == "multipart":
        if not _multipart(msg, mime, content_type, body, policy):
            return None
        if in_multipart:
            msg.epilogue = None if msg.epilogue == "" else _without_last_break(msg.epilogue)
        return msg
    msg.set_payload(_without_last_break(body) if in_multipart else body)
    return msg


def _without_last_break(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text


def _head_and_body(text: str) -> tuple[str, str] | None:
    """The header lines (each ending in LF) and what follows the blank line, as the stdlib reads them."""
    if text.startswith("\n"):
        return "", text[1:]
    end = text.find("\n\n")
    if end < 0:
        return None
    lines = text[:end].split("\n")
    if not all(map(headerRE.match, lines)) or any(line.startswith("From ") for line in lines[1:]):
        return None     # a defect, or a From_ line the stdlib may push back into the body
    return text[:end + 1], text[end + 2:]


def _headers_only(head: str, policy) -> Message:
    """The message `Parser(policy).parsestr(head + "\\n", headersonly=True)` gives for a header block
    whose lines _head_and_body checked (each a header, a continuation or a From_ line): the same
    header lines through the same `policy.header_source_parse`, without the FeedParser's line-by-line
    machinery, which was most of a part's parse. A block the FeedParser would record a defect for or
    read a From_ line from (a first line that is a continuation, a line starting with ":", a From_
    line) is parsed by the stdlib itself."""
    lines = head.split("\n")[:-1]    # each ended in LF: the last item is the empty rest
    if lines and (lines[0][:1] in (" ", "\t") or lines[0].startswith("From ")) or \
            any(line.startswith(":") for line in lines):
        return Parser(policy=policy).parsestr(head + "\n", headersonly=True)
    msg = (policy.message_factory or Message)(policy=policy)   # as the FeedParser makes it
    group: list[str] = []    # the lines of one header, each with its LF, as the FeedParser holds them
    for line in lines:
        if group and line[:1] not in (" ", "\t"):
            msg.set_raw(*policy.header_source_parse(group))
            group = []
        group.append(line + "\n")
    if group:
        msg.set_raw(*policy.header_source_parse(group))
    msg.set_payload("")
    return msg


def _mime_reader(msg: Message, policy) -> Message:
    """What answers msg's MIME methods: a view of its MIME headers' text where plain_headers knows
    that text without building the header object (a multipart's Content-Type is new in every
    message, for its boundary), else msg itself."""
    raws = mime_raw_values(msg) if reads_mime_headers_plainly(policy) else None
    view = None if raws is None else mime_view(*raws, msg.get_default_type())
    return msg if view is None else view


def _multipart(msg: Message, mime: Message, content_type: str, body: str, policy) -> bool:
    """Cut `body` at `msg`'s boundary lines into its parts, preamble and epilogue (RFC 2046 as the
    stdlib reads it: the line break before a boundary line belongs to the boundary); `mime` answers
    its MIME methods (_mime_reader)."""
    boundary = mime.get_boundary()
    if boundary is None or "\n" in boundary or content_type == "multipart/digest":
        return False
    if str(msg.get("content-transfer-encoding", "8bit")).lower() not in _MULTIPART_TRANSFER:
        return False
    marks = _boundary_lines(body, "--" + boundary)
    close = next((i for i, (_, _, closing) in enumerate(marks) if closing), None)
    if close is None or close == 0:
        return False
    marks = marks[:close + 1]     # after the close boundary every line is epilogue
    parts = []
    for (_, before_end, _), (after_start, _, _) in zip(marks, marks[1:]):
        start, end = before_end + 1, after_start
        if start >= end:
            return False          # two boundary lines in a row
        part = _entity(body[start:end], policy, in_multipart=True)
        if part is None:
            return False
        parts.append(part)
    preamble = body[:marks[0][0]]
    if preamble:
        msg.preamble = _without_last_break(preamble)
    msg.set_payload(parts)
    msg.epilogue = body[marks[-1][1] + 1:]
    return True


def _boundary_lines(body: str, separator: str) -> list[tuple[int, int, bool]]:
    """(start, end before its LF, is the close) of each line the stdlib's boundary pattern matches:
    the separator at the start of a line, then `--` at the close, then only blanks and tabs. Found
    with str.find of LF + separator (only the lines that start with it are visited) rather than a
    pattern compiled for each boundary, which cost more than the search."""
    marks = []
    starts_a_line = "\n" + separator
    if body.startswith(separator):
        at = 0
    else:
        at = body.find(starts_a_line)
        at = at if at < 0 else at + 1
    while at >= 0:
        line_end = body.find("\n", at)
        line_end = len(body) if line_end < 0 else line_end
        rest = body[at + len(separator):line_end]
        closing = rest.startswith("--")
        if not (rest[2:] if closing else rest).strip(" \t"):
            marks.append((at, line_end, closing))
        at = body.find(starts_a_line, at)
        at = at if at < 0 else at + 1
    return marks

"""What a message part's MIME headers say: its content type, whether it is an attachment, its text
(issue 16).

A message's parts are asked these again and again (walking its tree for its members and again for
its text, naming and decoding attachments, decoding bodies): 62,439 header fetches for 2,839
messages, each one splitting the header's parameters afresh. Each answer is kept per distinct
(default type, Content-Type, Content-Disposition) in PART_ONCE (header_memo.PartMemo); where those
values are plain, a view of their text answers without any header object (plain_headers.mime_view).
"""
from __future__ import annotations

from email.contentmanager import raw_data_manager
from email.message import Message

from .header_memo import PartMemo
from .mail_policy import POLICY

PART_ONCE = PartMemo(POLICY)     # a part's answers, once per distinct MIME header pair


def content_type(part: Message) -> str:
    """part.get_content_type(), read once per distinct Content-Type (and default type)."""
    return PART_ONCE.read(_read_content_type, part)


def _read_content_type(part: Message) -> str:
    return part.get_content_type()


def is_attachment(part: Message) -> bool:
    return PART_ONCE.read(_read_is_attachment, part)


def _read_is_attachment(part: Message) -> bool:
    try:
        return part.get_content_disposition() == "attachment" or bool(part.get_filename())
    except Exception:
        return True


def text_content(part: Message):
    """part.get_content(). For a text part of POLICY that is raw_data_manager's get_text_content
    (the payload decoded by the charset parameter, errors replaced): the charset is then read once
    per distinct Content-Type instead of fetching and splitting the header again for each part."""
    if part.policy is not POLICY or POLICY.content_manager is not raw_data_manager or \
            not content_type(part).startswith("text/"):
        return part.get_content()
    content = part.get_payload(decode=True)
    return content.decode(PART_ONCE.read(_read_charset, part), errors="replace")


def _read_charset(part: Message):
    return part.get_param("charset", "ASCII")

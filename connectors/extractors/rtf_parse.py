"""An RTF reader that keeps every piece of text a person may be named in.

striprtf (used before) lost text in four ways seen on real files: `\\bin`
binary data was read as text (and the file judged garbled), list and list
override tables leaked or swallowed text, annotations (comments) and their
authors were dropped as ignorable destinations, and text boxes (`\\shptxt`
inside the ignorable `\\*\\shpinst`) were lost, leaving some files empty.

This reader walks the token stream once, keeping a small state per group:
whether its text is shown, the `\\ucN` skip count, and the code page of the
current font (`\\fcharsetN` in the font table, `\\ansicpgN` by default).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace

# Groups whose text is formatting, tables of styles, pictures or binary objects.
_HIDDEN = frozenset("""
fonttbl colortbl stylesheet listtable listoverridetable listtext pntext pntxta pntxtb pn rsidtbl
generator xmlnstbl themedata colorschememapping latentstyles datastore pgdsctbl mmathPr filetbl
pict objdata objclass bkmkstart bkmkend fldtype atndate atnref atnicn shppict nonshppict sp
blipuid wgrffmtfilter defchp defpap panose falt fname leveltext levelnumbers passwordhash
formfield ffdeftext ffformat ffhelptext ffstattext fontemb fontfile mhtmltag htmltag
""".split())
# Destinations that hold text people write, even when marked ignorable with `\\*`.
_SHOWN = frozenset("""
annotation atnauthor atnid shpinst shptxt shprslt footnote header headerl headerr headerf footer
footerl footerr footerf revtbl author operator title subject company manager keywords comment
doccomm category fldinst fldrslt field txfieldtext
""".split())
_INFO_FIELDS = frozenset("author operator title subject company manager keywords comment doccomm "
                         "category".split())
_BREAKS = {"par": "\n", "line": "\n", "sect": "\n", "page": "\n", "row": "\n", "cell": "\t",
           "tab": "\t", "nestcell": "\t", "nestrow": "\n", "emdash": "\u2014", "endash": "\u2013",
           "bullet": "\u2022", "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c",
           "rdblquote": "\u201d", "emspace": " ", "enspace": " ", "qmspace": " "}
_SYMBOLS = {"~": " ", "_": "-", "-": "", "\\": "\\", "{": "{", "}": "}", "\n": "\n", "\r": "\n"}
_CHARSETS = {128: "cp932", 129: "cp949", 130: "johab", 134: "gbk", 136: "big5", 161: "cp1253",
             162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257",
             204: "cp1251", 222: "cp874", 238: "cp1250", 77: "mac_roman"}
_TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"     # control word, its parameter, its delimiter
                    r"|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_DEPTH = 1000


class RtfError(ValueError):
    """Unbalanced groups, runaway nesting: not a complete RTF document."""


@dataclass(frozen=True)
class _Group:
    shown: bool = True
    uc: int = 1
    codec: str = "cp1252"
    destination: str = ""
    in_fonttbl: bool = False


@dataclass
class _Reader:
    default_codec: str = "cp1252"
    fonts: dict[int, str] = field(default_factory=dict)
    out: list[str] = field(default_factory=list)
    pending: bytearray = field(default_factory=bytearray)   # \'xx bytes of one multi-byte run
    high: int = 0                                            # a \uN high surrogate awaiting its pair
    controls: int = 0                                        # raw control bytes seen in text runs
    font: int | None = None
    charset: int | None = None


def rtf_text(data: str) -> tuple[str, int]:
    """(text, raw control characters met in text runs) of an RTF document decoded as latin-1."""
    reader = _Reader()
    stack: list[_Group] = []
    group = _Group()
    skip = 0          # fallback characters still to skip after \uN
    pos, end = 0, len(data)
    while pos < end:
        m = _TOKEN.match(data, pos)
        if m is None:                  # a backslash at the very end
            break
        pos = m.end()
        word, hexbyte, symbol, brace, text = m.group(1), m.group(3), m.group(4), m.group(5), m.group(6)
        if brace:
            group = _brace(reader, group, stack, brace)
            skip = 0
        elif word is not None:
            param = int(m.group(2)) if m.group(2) else None
            if word == "bin":
                pos += max(0, param or 0)      # raw bytes: never text, never tokens
            elif skip and word != "u":     # \uN ends the previous fallback, whatever is left of it
                skip -= 1
            else:
                group, skip = _control(reader, group, word, param, skip)
        elif hexbyte is not None:
            if skip:
                skip -= 1
            elif group.shown:
                reader.pending.append(int(hexbyte, 16))
        elif symbol is not None:
            if symbol == "*":
                group = replace(group, destination="*")
            elif skip:
                skip -= 1
            elif group.shown:
                _emit(reader, group, _SYMBOLS.get(symbol, ""))
        elif text is not None:
            reader.controls += len(_CONTROL_CHARS.findall(text))
            if skip:
                cut = min(skip, len(text))
                text, skip = text[cut:], skip - cut
            if group.shown and text:
                _emit(reader, group, text)
    _flush(reader, group)
    if stack:
        raise RtfError("groups left open")
    return "".join(reader.out), reader.controls


def _brace(reader: _Reader, group: _Group, stack: list[_Group], brace: str) -> _Group:
    _flush(reader, group)
    if brace == "{":
        stack.append(group)
        if len(stack) > MAX_DEPTH:
            raise RtfError("nested too deeply")
        return replace(group, destination="")
    if not stack:
        raise RtfError("group closed twice")
    _end_group(reader, group)
    return stack.pop()


def _control(reader: _Reader, group: _Group, word: str, param: int | None, skip: int) -> tuple[_Group, int]:
    if word in _SHOWN:      # keeps the enclosing group's visibility (a header in a picture stays hidden)
        return replace(group, destination=word), skip
    if group.destination == "*" or word in _HIDDEN:
        fonts = group.in_fonttbl or word == "fonttbl"
        return replace(group, shown=False, destination=word, in_fonttbl=fonts), skip
    if word == "u" and param is not None:
        if group.shown:
            _unicode(reader, group, param % 65536)
        return group, group.uc
    if word == "uc" and param is not None:
        return replace(group, uc=max(0, min(param, 10))), skip
    if word == "ansicpg" and param:
        reader.default_codec = _codec(f"cp{param}", reader.default_codec)
        return replace(group, codec=reader.default_codec), skip
    if word == "f" and param is not None:
        _flush(reader, group)          # bytes read so far belong to the previous font's code page
        if group.in_fonttbl:
            reader.font = param        # a font table entry: its \fcharset follows
            return group, skip
        return replace(group, codec=reader.fonts.get(param, reader.default_codec)), skip
    if word == "fcharset" and param is not None and group.in_fonttbl:
        reader.charset = param
    elif group.shown and word in _BREAKS:
        _emit(reader, group, _BREAKS[word])
    return group, skip


def _unicode(reader: _Reader, group: _Group, code: int) -> None:
    if 0xD800 <= code < 0xDC00:
        reader.high = code
        return
    if 0xDC00 <= code < 0xE000:
        if reader.high:
            _emit(reader, group, chr(0x10000 + ((reader.high - 0xD800) << 10) + code - 0xDC00))
        reader.high = 0
        return
    reader.high = 0
    _emit(reader, group, chr(code))


_LINE_AFTER = frozenset({"atnauthor", "atnid", "annotation", "shptxt", "footnote"}) | _INFO_FIELDS


def _end_group(reader: _Reader, group: _Group) -> None:
    """A font table entry ends: remember its code page. An annotation or info field ends: a line."""
    if group.in_fonttbl and reader.font is not None:
        if reader.charset is not None:
            reader.fonts[reader.font] = _CHARSETS.get(reader.charset, reader.default_codec)
        reader.font, reader.charset = None, None
    if group.shown and group.destination in _LINE_AFTER:
        reader.out.append("\n")


def _emit(reader: _Reader, group: _Group, text: str) -> None:
    _flush(reader, group)
    reader.out.append(text)


def _flush(reader: _Reader, group: _Group) -> None:
    if reader.pending:
        reader.out.append(bytes(reader.pending).decode(group.codec, errors="replace"))
        reader.pending.clear()


def _codec(name: str, fallback: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return fallback

"""What surrounds a run of capitalised words: a cue that it is a name, or a house number before it.

Worked out only when a rule in name_candidates asks (`Around`): the words of a run settle most
runs alone ("The", "Thanks", "Smith Ltd"), so most runs never pay for these searches (issue 16).
"""

from functools import lru_cache

import regex

from detectors.ascii_twin import TwinPattern

_CUE_BEFORE = TwinPattern(
    r"(?:\bmy name is|\bname is|\bname:|\byour name\?|\bi'?m|\bi am|\bcalled|\bcall me|\bdear|\bhi|\bhello|\blast name\??|"
    r"\bfirst name\??|\bsurname:?|\bspeak to|\bspoke to|\bask for|\bfollow up with|\bsaid|\bshouted at|"
    r"\bmarried|\bsigned|\buser:|\bcalls me|\bstarring|\bsays|\baccording to|\bmaiden name is|\bremember me,|"
    r"\bmy (?:kid|son|daughter|wife|husband|brother|sister|mum|mom|dad|mother|father|friend)|\bproducer|"
    r"\bdirected by|\bwritten by|\bnamed (?:him|her)|\bhad given|\bjoin accounts with(?: m[rs]s?\.?)?)[ \t]*[\"“]?$",
    regex.IGNORECASE,
)
# A word followed by what people do: "Tomomi is from", "Alvir spent a year" (weaker: NER may still veto).
# A bare "is" or "was" is no cue: "Telenav is a design agency", "Zoolander is a 1979 comedy".
_CUE_AFTER = TwinPattern(
    r"[ \t]+(?:is from|is my|is our|was born|was my|has|had|lives|lived|spent|shouted|says|said|works|"
    r"worked|wants|told|asked|will be|went|joined|began|explained|wrote|writes)\b"
    r"|['’]s[ \t]+(?:kid|kids|address|daughter|son|wife|husband|mother|father|mum|dad|brother|sister|"
    r"friend|phone|email|birthday)\b"   # "Matej's address", "Franciska's kid"
)
_SPEAKER = TwinPattern(r"[ \t]*:[ \t]*(?:[\"“]|\p{Lu})")
_HOUSE_NUMBER = TwinPattern(
    r"(?:\b\d+[A-Za-z]?[ \t]+|(?i:flat|studio|apartment|apt|unit|suite)\.?[ \t]*\d+[A-Za-z]?,?\s+)$"
)


def _cued(text: str, start: int, end: int) -> str:
    """A cue that the next word is someone's name, or the word speaks ("Ubul: What a wife")."""
    speaker = _SPEAKER.on(text).match(text, end) and (
        start == 0 or text[start - 1] == "\n" or text[max(0, start - 2) : start].strip() in ".!?\""
    )   # at a line's start (no search back for the line break), or after a sentence
    before = text[max(0, start - 26) : start]
    if speaker or _may_end_in_cue(before) and _cue_before(before):
        return "before"
    return "after" if _CUE_AFTER.on(text).match(text, end) else ""


# The last word of every _CUE_BEFORE alternative ends with one of these (lower case): "my name is", "i'm",
# "married", "remember me,", "join accounts with mrs."... A window that ends in none holds no cue.
_CUE_ENDINGS = (
    "is", "name:", "name?", "name", "user:", "'m", "im", "am", "called", "married", "signed", "me", "me,",
    "dear", "hi", "hello", "to", "for", "with", "at", "said", "starring", "says", "kid", "son", "daughter",
    "wife", "husband", "brother", "sister", "mum", "mom", "dad", "mother", "father", "friend", "producer",
    "by", "him", "her", "given", "mr", "ms", "mrs", "mss", "mr.", "ms.", "mrs.", "mss.",
)


def _may_end_in_cue(before: str) -> bool:
    """False where an ASCII window cannot end in a cue: what is left once a final line break (`$`
    matches before one), quote and spaces are taken off ends in no cue's last letters. A string
    test instead of the pattern's search from each of 25 places: most runs have no cue before them,
    and _CUE_BEFORE costs ~3 us a window (issue 16). Other text is left to the pattern (its
    IGNORECASE reads letters such as the long s as their ASCII look-alikes)."""
    if not before.isascii():
        return True
    tail = before[:-1] if before.endswith("\n") else before
    tail = tail[:-1] if tail.endswith('"') else tail
    return tail.rstrip(" \t").lower().endswith(_CUE_ENDINGS)


# Per process, bounded: runs recur with the same words before them ("Hi Jane", "4 Rita Mills"; a third
# of the cue windows and two thirds of the house-number windows on the mail corpus; issue 16).
@lru_cache(maxsize=20_000)
def _cue_before(before: str) -> bool:
    """_CUE_BEFORE in the last 25 characters of `before`, which holds the character in front of them
    too where there is one: a \\b reads it."""
    return _CUE_BEFORE.on(before).search(before, max(0, len(before) - 25)) is not None


@lru_cache(maxsize=20_000)
def _house_number_before(before: str) -> bool:
    """_HOUSE_NUMBER in the last 20 characters of `before` (and the one in front, as above)."""
    return _HOUSE_NUMBER.on(before).search(before, max(0, len(before) - 20)) is not None


class Around:
    """The surroundings of one run, each searched for at most once and only when asked."""

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self._cue = None

    def cue(self) -> str:
        if self._cue is None:
            self._cue = _cued(self.text, self.start, self.end)
        return self._cue

    def after_number(self) -> bool:
        """A house number before the run: "4 Rita Mills"."""
        return _house_number_before(self.text[max(0, self.start - 21) : self.start])

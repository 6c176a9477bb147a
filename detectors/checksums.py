"""Check digits and format rules, as pure functions on strings.

Each takes the matched text (separators allowed) and answers True/False;
recognisers call them from `validate_result`, tests call them directly.
"""

import re

_NON_DIGIT = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_only(text: str) -> str:
    return _NON_DIGIT.sub("", text)


def luhn_valid(text: str) -> bool:
    """Payment card check digit (ISO/IEC 7812). Separators are ignored."""
    digits = digits_only(text)
    if not 12 <= len(digits) <= 19:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def nhs_valid(text: str) -> bool:
    """NHS number: 10 digits, weights 10..2 on the first nine, mod 11 check.

    A remainder giving check digit 10 means the number was never issued.
    """
    digits = digits_only(text)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def iban_valid(text: str) -> bool:
    """IBAN mod-97 (ISO 13616); case and spaces ignored."""
    iban = _NON_ALNUM.sub("", text).upper()
    if not 15 <= len(iban) <= 34 or not iban[:2].isalpha() or not iban[2:4].isdigit():
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


# HMRC: first letter not D F I Q U V; second not D F I O Q U V;
# prefixes BG GB KN NK NT TN ZZ never issued; suffix A-D.
_NINO_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_valid(text: str) -> bool:
    """National Insurance number: prefix rules, six digits, suffix A-D."""
    nino = _NON_ALNUM.sub("", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", nino):
        return False
    first, second = nino[0], nino[1]
    if first in "DFIQUV" or second in "DFIOQUV":
        return False
    return nino[:2] not in _NINO_BAD_PREFIXES


_POSTCODE = re.compile(
    r"(GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y]) ?"
    r"[0-9][ABD-HJLNP-UW-Z]{2})"
)


def postcode_valid(text: str) -> bool:
    """UK postcode: outward code of a valid shape, inward digit + two letters."""
    return _POSTCODE.fullmatch(" ".join(text.upper().split())) is not None


# The 121 postcode areas of Great Britain and Northern Ireland, and the Crown Dependencies'.
POSTCODE_AREAS = frozenset("""
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC
EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK
ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW
SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE GY JE IM""".split())
_ORDINAL_INWARD = re.compile(r"[0-9](?:ST|ND|RD|TH)$")


def postcode_typed_valid(text: str) -> bool:
    """A postcode as typed into a CRM or a letter (`hu7 4qt`, `Hu7 4Qt`): a valid shape, a real
    postcode area, and not an ordinal after a code (`M1 5th`, `B1 2nd`), which lower case makes
    look like one."""
    compact = "".join(text.upper().split())
    area = re.match(r"[A-Z]+", compact)
    return (postcode_valid(text) and area is not None and area.group() in POSTCODE_AREAS
            and not _ORDINAL_INWARD.search(compact))


def driving_licence_valid(text: str) -> bool:
    """DVLA licence number: 5 surname chars, decade, month (+5 female), day, year, initials, digit, 2 check.

    The check characters are not published, so only the date part is checked.
    """
    licence = _NON_ALNUM.sub("", text).upper()
    if not re.fullmatch(r"[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z0-9]{2}", licence):
        return False
    month, day = int(licence[6:8]), int(licence[8:10])
    return (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31

"""Weaker forms of a queried name, for `find --loose`: an initial with the surname, and nicknames.

`F. Oyelaran` may be Funmilayo or Femi; `Bill Hart` may be William. Such
forms are evidence, not proof, so a strict query never uses them and a loose
query marks them in `matched` (`name~initial`, `name~nickname`).
"""

from typing import Dict, List, Tuple

from detectors.normalise import name_tokens

# Common English given names and the short forms people are written under (both ways round).
_NICKNAMES = {
    "william": "bill will billy liam", "robert": "bob rob bobby robbie", "richard": "dick rick rich richie",
    "elizabeth": "liz beth lizzie betty eliza", "margaret": "maggie meg peggy", "catherine": "kate cathy kay",
    "katherine": "kate kathy katie", "james": "jim jimmy jamie", "john": "jack johnny", "thomas": "tom tommy",
    "edward": "ed ted eddie ned", "michael": "mike mick micky", "christopher": "chris kit", "anthony": "tony",
    "alexander": "alex sandy", "alexandra": "alex sandra", "andrew": "andy drew", "benjamin": "ben benny",
    "charles": "charlie chuck chas", "daniel": "dan danny", "david": "dave davy", "joseph": "joe joey",
    "jennifer": "jen jenny", "nicholas": "nick nicky", "patrick": "pat paddy", "peter": "pete",
    "rebecca": "becky becca", "samuel": "sam sammy", "samantha": "sam", "stephen": "steve", "steven": "steve",
    "susan": "sue susie", "timothy": "tim", "victoria": "vicky tori", "deborah": "debbie deb",
    "jonathan": "jon jonny", "matthew": "matt", "gregory": "greg", "frederick": "fred freddie",
    "harold": "harry", "henry": "harry hal", "abigail": "abby", "josephine": "jo josie",
    "philip": "phil", "phillip": "phil", "ronald": "ron ronnie", "donald": "don donny", "kenneth": "ken kenny",
    "gerald": "gerry", "lawrence": "larry", "theodore": "theo ted", "nathaniel": "nat nate",
    "oluwafunmilayo": "funmi funmilayo", "funmilayo": "funmi", "oluwaseun": "seun", "aleksandr": "sasha",
    "alejandro": "alex", "francisco": "paco", "jose": "pepe", "giuseppe": "beppe",
}


def _table() -> Dict[str, set]:
    table: Dict[str, set] = {}
    for full, shorts in _NICKNAMES.items():
        for short in shorts.split():
            table.setdefault(full, set()).add(short)
            table.setdefault(short, set()).add(full)
    return table


NICKNAMES = _table()


def loose_forms(text: str) -> List[Tuple[str, str]]:
    """(form, kind) pairs a loose query adds: `initial:f oyelaran`, `name:bill hart`."""
    tokens = name_tokens(text)
    if "," in text and len(tokens) >= 2:    # "Oyelaran, Funmilayo"
        tokens = tokens[1:] + tokens[:1]
    if len(tokens) < 2:
        return []
    first, surname = tokens[0], tokens[-1]
    forms = [(f"initial:{first[0]} {surname}", "name~initial")]
    for other in sorted(NICKNAMES.get(first, ())):
        forms.append(("name:" + " ".join(sorted((other, surname))), "name~nickname"))
    return forms

"""Regenerate the word lists of the name gazetteer (dev-time only; pdsweep reads the files).

- first_names.txt, last_names.txt: Faker's person providers (MIT), Latin-script names only.
- countries.txt: Faker's en_US country names (MIT).
- english_words.txt.gz: Webster's Second International (1934, public domain) as packaged by
  the `english-words` package (MIT): its lower-case head words (no proper nouns), letters only.

    pip install faker english-words && python detectors/data/make_word_lists.py
"""

import gzip
import importlib
import pkgutil
from pathlib import Path

import faker.providers.person as person

HERE = Path(__file__).parent
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def _names(provider, attr):
    value = provider.__dict__.get(attr)
    if isinstance(value, dict):
        return list(value)
    return list(value) if isinstance(value, (list, tuple, set)) else []


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 for c in name if c.isalpha()) and any(c.isalpha() for c in name)


def collect():
    first, last = set(), set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for klass in reversed(provider.__mro__):
            for attr in FIRST_ATTRS:
                first.update(n.casefold() for n in _names(klass, attr) if _latin(n) and " " not in n)
            last.update(n.casefold() for n in _names(klass, "last_names") if _latin(n) and " " not in n)
    return first, last


def main():
    first, last = collect()
    (HERE / "first_names.txt").write_text("\n".join(sorted(first)) + "\n", encoding="utf-8")
    (HERE / "last_names.txt").write_text("\n".join(sorted(last)) + "\n", encoding="utf-8")
    print(len(first), "first names,", len(last), "last names")
    from faker.providers.address.en_US import Provider as Address

    countries = sorted({c.casefold() for c in Address.countries})
    (HERE / "countries.txt").write_text("\n".join(countries) + "\n", encoding="utf-8")
    print(len(countries), "countries")
    from english_words import get_english_words_set

    # Lower-case head words only: Webster's capitalised entries are proper nouns (John, Berkshire).
    words = sorted(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())
    with gzip.GzipFile(HERE / "english_words.txt.gz", "wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(words) + "\n").encode())
    print(len(words), "dictionary words")


if __name__ == "__main__":
    main()

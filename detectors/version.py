"""The version of what detection finds, kept apart from the Detector so the scanning parent can read it
without loading spaCy.

Raise it whenever a change makes the same text give other findings (a new rule, a rule that reads
differently): it is part of the stored detector fingerprint, so every inventory written before re-reads
its files at the next scan instead of keeping findings the new code would not give. A pure speed change
that gives identical findings leaves it alone.

  3  the name index
  4  a mail text is read per quote-stripped segment (a value split over two quoted lines gets the key
     of its original)
  5  a single CJK ideograph or kana is a name part, not an initial dropped from the key ("伟 王",
     detectors/normalise.py)
"""

DETECTOR_VERSION = "5"

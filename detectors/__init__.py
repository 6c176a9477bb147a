"""Personal-data detection: Presidio recognisers (UK first), spaCy NER for names, structured fields.

from detectors import DetectorSettings, Detector, Finding
det = Detector(DetectorSettings())
det.analyze("Call Jane Smith on 01482 420150")
"""

import os

# The email recogniser of stock Presidio would fetch the public suffix list.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from detectors.model import DetectorSettings, Finding  # noqa: E402

__all__ = ["Detector", "DetectorSettings", "Finding"]


def __getattr__(name):
    # Detector pulls in spaCy and Presidio (seconds of start-up): only when asked for,
    # so `find` and `status` start fast.
    if name == "Detector":
        from detectors.detector import Detector

        return Detector
    raise AttributeError(name)

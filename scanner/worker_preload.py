"""Imported once by the pool's forkserver (scanner/pool.py) so every worker forks with it done.

A spawned worker spent ~1 s of CPU importing Presidio, spaCy and phonenumbers, and ~0.3 s loading the
spaCy model, before its first file; forked from a server that did both once, it starts in
milliseconds and shares those pages copy-on-write. The server is a fresh
interpreter started by exec, single-threaded but for OpenBLAS's pool (which handles fork itself):
the scanning parent, with its threads, locks and progress bar, is never forked.
"""
import gc

import scanner.analysis  # noqa: F401  the worker's own code and the connectors it reads with
import scanner.pool  # noqa: F401
from detectors import Detector, DetectorSettings, gazetteer

# A detector with the default settings (the CLI's unless --model/--no-ner/--min-score differ), the
# spaCy model loaded: a worker of a scan with those settings takes its own copy by forking, never
# used here, so nothing of one scan's state is in it. Other settings build their own in the worker.
DEFAULT_DETECTOR = Detector(DetectorSettings())
for word_list in (gazetteer.first_names, gazetteer.last_names, gazetteer.countries, gazetteer.dictionary_words):
    word_list()   # read-only sets every worker loads on its first text


def detector_for(settings: DetectorSettings) -> Detector | None:
    return DEFAULT_DETECTOR if settings == DEFAULT_DETECTOR.settings else None

# What is loaded here lives as long as every worker: keep the collector from walking it in each one
# (and from touching its pages, which the workers share copy-on-write until written).
gc.collect()
gc.freeze()

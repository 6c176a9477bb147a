"""Imported once by the pool's forkserver (scanner/pool_server.py) so every worker forks with it done.

A spawned worker spent ~1 s of CPU importing Presidio, spaCy and phonenumbers before its first
file, and ~0.3 s more on its first file importing the format registries, the sources and the OCR
glue and reading phonenumbers' UK metadata; forked from a server that did all of it once, it starts
in milliseconds and shares those pages copy-on-write. (Parser libraries only some files need,
openpyxl or extract-msg, stay imported on first use.) The server is a fresh interpreter started by
exec, single-threaded but for OpenBLAS's pool (which handles fork itself): the scanning parent,
with its threads, locks and progress bar, is never forked. The scan's detector (with the spaCy
model where NER is on) is built by scanner/worker_model.py, preloaded after this module.
"""
import gc

gc.disable()   # the imports make long-lived objects only: collections while they run would find nothing

import phonenumbers  # noqa: E402

# The format registries: connectors.dispatch imports them on a process's first file.
import connectors.containers  # noqa: F401,E402
import connectors.extractors  # noqa: F401,E402
import connectors.sniff  # noqa: F401,E402
import scanner.analysis  # noqa: F401,E402  the worker's own code and the connectors it reads with
import scanner.pool  # noqa: F401,E402
from connectors.source import source_for  # noqa: E402
from detectors import gazetteer  # noqa: E402
from detectors.detector import Detector  # noqa: F401,E402  Presidio and spaCy

source_for("/")        # the sources registry (local, SMB, S3), found by import
# The metadata of +44's regions (GB, Guernsey, Jersey, Man), read by every worker's first UK number.
phonenumbers.is_valid_number(phonenumbers.parse("01632 960000", "GB"))
for word_list in (gazetteer.first_names, gazetteer.last_names, gazetteer.countries,
                  gazetteer.dictionary_words):
    word_list()   # read-only sets every worker loads on its first text

# What is loaded here lives as long as every worker: keep the collector from walking it in each one
# (and from touching its pages, which the workers share copy-on-write until written). No collection
# first: it found ~20 objects and cost 0.1-0.2 s, on the path every worker waits on.
gc.freeze()
gc.enable()

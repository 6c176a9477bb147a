"""Imported once by the pool's forkserver (scanner/pool.py) so every worker forks with it done.

A spawned worker spent ~1 s of CPU importing Presidio, spaCy and phonenumbers before its first file;
forked from a server that imported them once, it starts in milliseconds. The server is a fresh
interpreter started by exec, single-threaded but for OpenBLAS's pool (which handles fork itself):
the scanning parent, with its threads, locks and progress bar, is never forked.
"""
import gc

import detectors.detector  # noqa: F401  spaCy, Presidio, phonenumbers: the bulk of the start-up
import scanner.analysis  # noqa: F401  the worker's own code and the connectors it reads with
import scanner.pool  # noqa: F401

# What is loaded here lives as long as every worker: keep the collector from walking it in each one
# (and from touching its pages, which the workers share copy-on-write until written).
gc.collect()
gc.freeze()

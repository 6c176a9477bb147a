"""Preloaded by the pool's forkserver after scanner/worker_preload.py: the scan's detector, built once
(recognisers, their patterns and prefilter databases, the spaCy model where NER is on: ~0.1 s without
NER, ~0.4 s with it), which each worker then takes as its own copy by forking instead of building it.
Its settings are the ones the server started with (`pool_server.server_settings`). It is never used
here, so nothing of one scan's state is in it. A scan with other settings (a later one in the same
process) builds its own detector in each worker.
"""
import gc

from detectors import Detector, DetectorSettings

from .pool_server import server_settings

gc.disable()   # as in worker_preload: no collection while the model loads, its objects are frozen after
try:
    PRELOADED: Detector | None = Detector(server_settings())
except Exception:   # a model that does not load: each worker tries again, and its scan says why
    PRELOADED = None


def detector_for(settings: DetectorSettings) -> Detector | None:
    return PRELOADED if PRELOADED is not None and settings == PRELOADED.settings else None


gc.freeze()   # as in worker_preload: the detector lives as long as every worker
gc.enable()

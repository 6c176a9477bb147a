"""Preloaded by the pool's forkserver after scanner/worker_preload.py when a scan's workers use the
default detector settings (the CLI's unless --model/--no-ner/--min-score differ): the detector with
the spaCy model loaded (~0.3 s), which each worker then takes as its own copy by forking. It is
never used here, so nothing of one scan's state is in it. Other settings build their own detector
in the worker, and do not wait for this one to load.
"""
import gc

from detectors import Detector, DetectorSettings

gc.disable()   # as in worker_preload: no collection while the model loads, its objects are frozen after
DEFAULT_DETECTOR = Detector(DetectorSettings())


def detector_for(settings: DetectorSettings) -> Detector | None:
    return DEFAULT_DETECTOR if settings == DEFAULT_DETECTOR.settings else None


gc.freeze()   # as in worker_preload: the model lives as long as every worker
gc.enable()

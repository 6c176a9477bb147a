"""Hypothesis: random and mutated bytes into every extractor. Only ConnectorError or LimitExceeded
may escape, whether at the call or while the chunks are read, and no reason quotes the input."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors import ExploreContext, LimitExceeded, Limits
from connectors.errors import ConnectorError
from connectors.extractors import EXTRACTORS, extract_plain
from mutations import mutated
from test_extract_samples import BUILDERS, EXPECTED_MIME, blob_of, make_person

PERSON = make_person(23)
SAMPLES = {fmt: build(PERSON) for fmt, build in BUILDERS.items()}
SMALL = Limits(max_text_bytes=200_000, max_member_bytes=4 * 1024 * 1024, doc_timeout_s=5)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


def consume(extractor, data: bytes) -> None:
    try:
        extracted = extractor(blob_of(data), ExploreContext(SMALL, "/tmp"))
        for chunk in extracted.chunks:
            assert isinstance(chunk, str)
        assert all(isinstance(f.value, str) for f in extracted.fields)
    except (ConnectorError, LimitExceeded) as exc:
        assert PERSON.email not in str(exc) and PERSON.last not in str(exc)


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_mutated_files_raise_only_our_errors(fmt):
    extractor = EXTRACTORS[EXPECTED_MIME[fmt]]

    @FUZZ
    @given(mutated(SAMPLES[fmt]))
    def check(data):
        consume(extractor, data)

    check()


@pytest.mark.parametrize("mime", sorted(set(EXPECTED_MIME.values())) + ["text/tab-separated-values"])
def test_random_bytes_raise_only_our_errors(mime):
    extractor = EXTRACTORS[mime]

    @FUZZ
    @given(st.binary(max_size=2048))
    def check(data):
        consume(extractor, data)

    check()


@FUZZ
@given(st.binary(max_size=4096))
def test_plain_text_never_fails_on_bytes(data):
    consume(extract_plain, data)


def test_parsers_log_nothing_that_could_quote_the_file(caplog):
    caplog.set_level("DEBUG")
    pdf = SAMPLES["pdf"]
    damaged = pdf.replace(b"0000000", b"00\x9100", 1).replace(b"/MediaBox", b"/MediaBax")
    consume(EXTRACTORS["application/pdf"], damaged)
    consume(EXTRACTORS["application/pdf"], pdf[: len(pdf) * 2 // 3])
    assert not [r for r in caplog.records if r.name.startswith("pdfminer")]

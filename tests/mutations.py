"""The damage a real file shows, as a Hypothesis strategy: bytes flipped, a run inserted, the end cut
off. Shared by the extractor and the container fuzz tests."""
from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def mutated(draw, sample: bytes, max_flips: int = 8) -> bytes:
    data = bytearray(sample)
    for _ in range(draw(st.integers(0, max_flips))):
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        pos = draw(st.integers(0, len(data)))
        data[pos:pos] = draw(st.binary(max_size=64))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)

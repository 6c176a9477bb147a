"""NER's matrix products through numpy's BLAS rather than thinc's blis (issue 16).

thinc computes every layer's matrix product with the `blis` wheel. Its x86-64 wheels
(blis 1.x) ship only blis's "generic" reference kernel (`BLIS_ARCH_DEBUG=1` prints
"selecting sub-configuration 'generic'"). On one core it runs at about a third of the
speed of numpy's BLAS (OpenBLAS in the numpy wheels) on NER's shapes. These products were
about half of NER's time: its tok2vec's four layers and the parser's precomputed first layer.
`benchmarks/ner_cost.py` measures both, and checks that the entities stay the same.

The model's weights and layers are unchanged; only the product routine differs. Its sums
run in another order, so scores can differ in the last bits of a float. An entity would
change only where two actions' scores lie within such a rounding of each other. None changed
on any benchmark text (see the README's NER section). OpenBLAS picks its kernel by CPU, so
two hosts with different CPUs may round differently; blis's generic kernel rounded alike
on every x86-64 host. The parser's own per-step loop still calls blis through
spaCy's compiled code, which Python cannot reach. (spaCy 3.8.8 and later wheels also take
and drop the GIL in that loop for every action checked at every token, which nearly doubled
NER's CPU: pyproject.toml keeps spaCy below 3.8.8 where it can; benchmarks/spacy_build.py.)

numpy's OpenBLAS starts one thread per core for large products. A scan worker is one
core's work, and on a busy machine those threads spin: CPU per NER call tripled when
measured. So a process that loads NER holds its BLAS to one thread (threadpoolctl). The
limit lasts for the process and is inherited by forked workers.
"""

import numpy
from thinc.api import NumpyOps


class NumpyBlasOps(NumpyOps):
    """thinc's CPU ops with `gemm` done by numpy.matmul (the BLAS numpy was built with)."""

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        x = x.T if trans1 else x
        y = y.T if trans2 else y
        if out is None:
            return numpy.matmul(x, y)
        numpy.matmul(x, y, out=out)
        return out


def use_numpy_blas(nlp) -> None:
    """Every layer of the pipeline's models computes its products with NumpyBlasOps, one BLAS thread."""
    from threadpoolctl import threadpool_limits
    threadpool_limits(limits=1, user_api="blas")   # kept for the process: not used as a context
    ops = NumpyBlasOps()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for layer in model.walk() if model is not None else ():
            layer.ops = ops

"""The benchmarks say which machine and which kernels their numbers come from.

Every table of ``python -m benchmarks`` carries a line naming the CPU, the SIMD
targets numpy dispatched to, numpy's BLAS (kernel, threads) and the kernels
ToyNet picked, and RESULTS.md's machine table holds the same: a figure from an
AVX-512 machine must not pass for an AVX2 one's.
"""

import numpy as np
import pytest

from benchmarks import _env
from sklearn_toynet import _kernels
from sklearn_toynet._activations import logistic


@pytest.fixture
def logistic_forced_to_tanh():
    before = _kernels.force("logistic", "tanh")
    yield
    _kernels.force("logistic", before)


def test_each_table_names_cpu_simd_blas_and_kernels(logistic_forced_to_tanh):
    logistic(np.zeros((64, 64)))  # a block the chosen kernel computes
    line = _env.machine_line()
    assert line.startswith(f"Measured on: {_env._cpu_model()}; numpy SIMD baseline ")
    assert "dispatched" in line and "BLAS " in line and " thread" in line
    assert "ToyNet kernels: " in line and "logistic float64=tanh" in line


def test_dispatched_targets_are_the_ones_this_cpu_runs():
    from numpy._core import _multiarray_umath as umath

    dispatched = _env.numpy_simd().split("dispatched ")[1].split()
    runs = [t for t in umath.__cpu_dispatch__ if umath.__cpu_features__.get(t)]
    assert dispatched == (runs or ["none"])


def test_machine_table_records_simd_and_kernels():
    info = _env.machine_info(".")
    assert info["numpy SIMD"] == _env.numpy_simd()
    assert info["ToyNet kernels (chosen by timing)"] == _env.kernel_choices()

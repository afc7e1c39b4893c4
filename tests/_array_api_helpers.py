"""The array libraries the array API tests run on, and moving test data there.

array-api-strict (in the ``test`` extra) always; PyTorch on the CPU when it is
installed (``.ci/run`` installs it after the README's test command), and on
CUDA when a GPU is present. A PyTorch case without PyTorch is skipped, with
the reason.
"""

import importlib.util

import numpy as np
import pytest

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_CUDA = False
if HAS_TORCH:
    import torch

    HAS_CUDA = torch.cuda.is_available()

_NO_TORCH = pytest.mark.skipif(
    not HAS_TORCH,
    reason="PyTorch is not installed: a large install, .ci/run adds it after the "
    "README's test command",
)
_NO_CUDA = pytest.mark.skipif(not HAS_CUDA, reason="no CUDA device here")

#: The namespaces every generic-path test runs on, as pytest parameters.
NAMESPACES = [
    "array_api_strict",
    pytest.param("torch", marks=_NO_TORCH),
    pytest.param("torch-cuda", marks=_NO_CUDA),
]


def namespace_and_device(name):
    """``(xp, device)`` of a name in ``NAMESPACES``."""
    if name == "array_api_strict":
        import array_api_strict

        return array_api_strict, array_api_strict.Device("CPU_DEVICE")
    import torch

    return torch, torch.device("cuda" if name == "torch-cuda" else "cpu")


def on(name, array, dtype=None):
    """NumPy ``array`` as an array of the library ``name`` (in its dtype)."""
    xp, device = namespace_and_device(name)
    array = np.asarray(array)
    if dtype is not None:
        array = array.astype(dtype)
    return xp.asarray(array.copy(), device=device)  # never sharing memory

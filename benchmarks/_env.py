"""What machine and libraries the numbers come from (read-only, changes nothing)."""

import os
import platform
import subprocess
import sys

import numpy as np
import scipy
import sklearn
from threadpoolctl import threadpool_info

from . import _contenders as C

ENV_VARS = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NPY_DISABLE_CPU_FEATURES",
    "SKLEARN_TOYNET_KERNELS",
)


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def numpy_simd():
    """numpy's SIMD targets: ``"baseline X86_V2; dispatched X86_V3 X86_V4"``.

    "dispatched" lists the targets of numpy's build that this CPU runs (what
    ``NPY_DISABLE_CPU_FEATURES`` turned off is not among them).
    """
    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # numpy < 2
        from numpy.core import _multiarray_umath as umath
    found = [t for t in umath.__cpu_dispatch__ if umath.__cpu_features__.get(t)]
    baseline = " ".join(umath.__cpu_baseline__) or "none"
    return f"baseline {baseline}; dispatched {' '.join(found) or 'none'}"


def kernel_choices():
    """The kernels ToyNet picked in this process so far: ``"logistic float64=exp"``."""
    if not C.have_toynet():
        return "ToyNet not importable"
    from sklearn_toynet import _kernels

    picked = _kernels.choices()
    return ", ".join(f"{k}={v}" for k, v in sorted(picked.items())) or "none yet"


def blas_line():
    """numpy's BLAS as one phrase: library, kernel architecture, threads."""
    for lib in threadpool_info():
        if lib.get("user_api") == "blas" and "numpy" in lib.get("filepath", ""):
            break
    else:
        libs = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]
        if not libs:
            return "no BLAS found"
        lib = libs[0]
    threads = lib.get("num_threads")
    return (
        f"{lib.get('internal_api')} {lib.get('version')} "
        f"{lib.get('architecture', '')}, {threads} thread{'' if threads == 1 else 's'}"
    )


def machine_line():
    """Where a section's numbers come from, in one line beside its table."""
    return (
        f"Measured on: {_cpu_model()}; numpy SIMD {numpy_simd()}; "
        f"BLAS {blas_line()}; ToyNet kernels: {kernel_choices()}."
    )


def _git_commit(repo):
    try:
        out = subprocess.run(
            ["git", "-C", repo, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine_info(repo):
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    info = {
        "CPU": _cpu_model(),
        "CPUs (usable / total)": f"{usable} / {os.cpu_count()}",
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy SIMD": numpy_simd(),
        "git commit": _git_commit(repo),
    }
    if C.have_toynet():
        import sklearn_toynet

        info["sklearn_toynet"] = getattr(sklearn_toynet, "__version__", "unknown")
    else:
        info["sklearn_toynet"] = f"not importable ({C.TOYNET_IMPORT_ERROR})"
    info["ToyNet kernels (chosen by timing)"] = kernel_choices()
    for var in ENV_VARS:
        if var in os.environ:
            info[var] = os.environ[var]
    return info


def load_average():
    """1-minute load average, or None where the OS does not report it."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def busy_warning(load):
    """A warning line when other work competes for the CPUs, else None."""
    cpus = os.cpu_count() or 1
    if load is not None and load > 0.5 * cpus:
        return (
            f"load average {load:.1f} on {cpus} CPUs: other processes compete "
            "for the cores, timings (2 BLAS threads especially) are inflated"
        )
    return None


def blas_info():
    """One line per loaded BLAS/OpenMP library, as threadpoolctl sees it."""
    rows = []
    for lib in threadpool_info():
        rows.append(
            {
                "api": lib.get("user_api"),
                "library": lib.get("internal_api"),
                "version": lib.get("version"),
                "threads": lib.get("num_threads"),
                "arch": lib.get("architecture", ""),
                "threading": lib.get("threading_layer", ""),
                "file": os.path.basename(lib.get("filepath", "")),
            }
        )
    return rows

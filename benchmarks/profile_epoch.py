"""Where does an epoch go? ``python -m benchmarks.profile_epoch [options]``.

Times one epoch case for ToyNet, the numpy floor and a tuned numpy loop
(``_tuned_loop``, how far below the floor numpy can go) in CPU time (one BLAS
thread by default, so other processes on the machine disturb it less),
then prints cProfile's top functions by own time for each. Numpy calls
made with operators (``+=``, ``@``) are charged to the calling function.
"""

import argparse
import cProfile
import pstats
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from . import _contenders as C
from ._data import tabular
from ._numpy_loop import NumpyLoopMLP, one_hot
from ._tuned_loop import TunedLoopMLP


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_epoch")
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--solver", default="sgd", choices=["sgd", "adam"])
    parser.add_argument("--activation", default="relu")
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument(
        "--threads", type=int, default=1, help="BLAS threads (0: leave as is)"
    )
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)

    X, y = tabular(args.n, n_classes=args.classes)
    X = X.astype(args.dtype)
    Y = one_hot(y).astype(args.dtype)
    params = C.epoch_params(args.solver, args.activation, args.epochs)
    numpy_params = {
        "activation": args.activation,
        "solver": args.solver,
        "learning_rate_init": params["learning_rate_init"],
    }
    codes = np.unique(y, return_inverse=True)[1]
    tuned_params = {
        "activation": args.activation,
        "solver": args.solver,
        "lr": params["learning_rate_init"],
    }
    contenders = {
        C.NUMPY: lambda: NumpyLoopMLP(**numpy_params).fit(X, Y, args.epochs),
        "tuned numpy loop": lambda: TunedLoopMLP(**tuned_params).fit(
            X, codes, args.classes, args.epochs
        ),
    }
    if C.have_toynet():
        contenders[C.TOYNET] = lambda: C.quiet_fit(C.make_toynet(**params), X, y)
    limits = threadpool_limits(args.threads, user_api="blas") if args.threads else None
    try:
        for name, fn in contenders.items():
            fn()  # warm up
            cpu = []
            for _ in range(3):
                start = time.process_time()
                fn()
                cpu.append((time.process_time() - start) / args.epochs * 1e3)
            runs = ", ".join(f"{t:.1f}" for t in cpu)
            print(f"== {name}: CPU ms/epoch, 3 runs: {runs}")
            prof = cProfile.Profile()
            prof.runcall(fn)
            pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    finally:
        if limits is not None:
            limits.restore_original_limits()
    blas = [
        f"{lib['internal_api']} {lib.get('version')} {lib['num_threads']} threads"
        for lib in threadpool_info()
    ]
    print(f"numpy {np.__version__}; {'; '.join(blas)}")


if __name__ == "__main__":
    main()

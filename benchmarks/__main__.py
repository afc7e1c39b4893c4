"""Entry point: ``python -m benchmarks [SUITE ...] [--quick] [--only SUITE ...]``.

``python -m benchmarks tabular [--sets ...] [--variant NAME=p=v,...]`` runs the
real-table suite alone (see README.md); it writes to ``benchmarks/_tabular/``
so the other suites' RESULTS.md is left as it is.
"""

import argparse
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from . import _contenders as C
from . import (
    suite_accuracy,
    suite_arrays,
    suite_epoch,
    suite_memory,
    suite_small,
    suite_smallcalls,
    suite_smalldata,
    suite_tabular,
)
from ._env import blas_info, busy_warning, load_average, machine_info, machine_line
from ._report import plot, results_markdown, section_markdown, summary_markdown
from ._timing import use_clock

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

FULL = {
    "repeats": 7,
    "epoch_n": 50_000,
    "epochs": 3,
    "epoch_cases": [
        (2, "sgd", "relu"),
        (2, "adam", "relu"),
        (10, "sgd", "relu"),
        (10, "adam", "relu"),
        (10, "sgd", "logistic"),
    ],
    "threads_case": (10, "sgd", "relu"),
    "blog_iter": 10_000,
    "blog_iter_mlp": 2_000,
    "predict_n": 200_000,
    "predict_cases": [(2, np.float64), (10, np.float64), (10, np.float32)],
    "memory_n": 200_000,
    "memory_epochs": 2,
    "memory_cases": [(2, "sgd"), (10, "adam")],
    "import_repeats": 7,
    "cv_folds": 5,
    "cv_datasets": ["iris", "wine", "breast_cancer", "digits"],
    "smallfit_datasets": ["iris", "wine", "breast_cancer", "digits"],
    "grid_repeats": 3,
    # Array libraries: NumPy vs PyTorch (CPU; CUDA and 1,000,000 rows with a GPU).
    "arrays_n": 50_000,
    "arrays_n_gpu": 1_000_000,
    "arrays_epochs": 1,
    "arrays_hidden": [(100,), (256, 256)],
    "arrays_predict_n": 100_000,
    # Real tables (suite_tabular): every table, every installed contender.
    "tabular_sets": None,
    "tabular_splits": 3,
    "tabular_max_train": suite_tabular.DEFAULT_MAX_TRAIN,
    # ... and the tables that have more rows, again at up to 10,000 (issue 22).
    "tabular_large_max_train": 10_000,
    "tabular_contenders": None,
    "tabular_variants": [],
}

QUICK = {
    **FULL,
    "repeats": 3,
    "epoch_n": 20_000,
    "epochs": 1,
    "epoch_cases": [(2, "sgd", "relu"), (10, "adam", "relu")],
    "threads_case": None,
    "blog_iter": 2_000,
    "blog_iter_mlp": 300,
    "predict_n": 50_000,
    "predict_cases": [(10, np.float64)],
    "memory_n": 50_000,
    "memory_epochs": 1,
    "memory_cases": [(10, "sgd")],
    "import_repeats": 3,
    "cv_folds": 3,
    "cv_datasets": ["iris", "wine", "breast_cancer"],
    "smallfit_datasets": ["iris", "digits"],
    "grid_repeats": 1,
    "arrays_n": 10_000,
    "arrays_n_gpu": 200_000,
    "arrays_predict_n": 20_000,
    "tabular_sets": suite_tabular.QUICK_SETS,
    "tabular_splits": 1,
    "tabular_large_max_train": None,
}

SUITES = {
    "epoch": suite_epoch.run,  # epoch time and float32 vs float64 (+ threads)
    "blog": suite_small.blog,
    "predict": suite_small.predict,
    "memory": suite_memory.memory,
    "import": suite_memory.imports,
    "accuracy": suite_accuracy.run,
    "smalldata": suite_smalldata.run,  # small fits, threads, the gallery's search
    "smallcalls": suite_smallcalls.run,  # 1-row / 100-row calls, partial_fit
    "arrays": suite_arrays.run,  # NumPy vs PyTorch tensors (CPU, CUDA if present)
    "tabular": suite_tabular.run,  # real tables at defaults: error, CPU fit time
}


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "suites",
        nargs="*",
        metavar="SUITE",
        help=f"run only these suites, as --only does ({', '.join(SUITES)})",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, few repeats (< 1 min)"
    )
    parser.add_argument(
        "--only", nargs="+", choices=list(SUITES), help="run only these suites"
    )
    parser.add_argument(
        "--repeats", type=int, help="override the number of timed repeats"
    )
    parser.add_argument(
        "--out-dir",
        help="where RESULTS.md and results.png go "
        "(default: benchmarks/, or benchmarks/_quick/ with --quick)",
    )
    parser.add_argument("--no-plot", action="store_true", help="skip results.png")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="wall-clock (default) or process CPU time (busy machines; "
        "combine with --blas-threads 1)",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        help="limit BLAS threads for the whole run (threadpoolctl; default: leave)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="limit every thread pool, BLAS and OpenMP, for the whole run "
        "(threadpoolctl; default: leave)",
    )
    tab = parser.add_argument_group("tabular suite")
    tab.add_argument(
        "--sets",
        nargs="+",
        metavar="TABLE",
        help="only these tables (default: all 18; --quick: "
        f"{' '.join(suite_tabular.QUICK_SETS)})",
    )
    tab.add_argument(
        "--splits", type=int, help="random 75/25 splits per table (default 3)"
    )
    tab.add_argument(
        "--max-train",
        type=int,
        help="cap on training rows (default 3,000); above it, only the tables "
        "with more training rows than 3,000 run unless --sets names them",
    )
    tab.add_argument(
        "--contenders",
        nargs="+",
        metavar="NAME",
        help=f"only these contenders ({', '.join(suite_tabular.CONTENDERS)})",
    )
    tab.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=PARAM=VALUE[,PARAM=VALUE]",
        help="add a row of the tabular pair with these parameters (set_params; "
        "values are Python literals); repeatable",
    )
    args = parser.parse_args(argv)
    only = list(args.only or []) + list(args.suites)
    unknown = [name for name in only if name not in SUITES]
    if unknown:
        parser.error(f"unknown suites {unknown}; choose from {list(SUITES)}")
    try:
        variants = [suite_tabular.parse_variant(v) for v in args.variant]
    except ValueError as exc:
        parser.error(str(exc))

    cfg = dict(QUICK if args.quick else FULL)
    if args.repeats:
        cfg["repeats"] = args.repeats
    if args.splits:
        cfg["tabular_splits"] = args.splits
    if args.contenders:
        cfg["tabular_contenders"] = args.contenders
    cfg["tabular_variants"] = variants
    if args.max_train or args.sets:
        cfg["tabular_large_max_train"] = None  # the run asked for is the one run
    if args.max_train:
        cfg["tabular_max_train"] = args.max_train
        if not args.sets and args.max_train > suite_tabular.DEFAULT_MAX_TRAIN:
            cfg["tabular_sets"] = suite_tabular.sets_above(
                suite_tabular.DEFAULT_MAX_TRAIN, cfg["tabular_sets"]
            )
    if args.sets:
        cfg["tabular_sets"] = args.sets
    if args.blas_threads or args.clock == "cpu":
        cfg["threads_case"] = None  # 1 vs 2 threads needs wall time, no limit
    if args.out_dir:
        out_dir = args.out_dir
    elif args.quick:
        out_dir = os.path.join(HERE, "_quick")
    elif only == ["tabular"]:
        # The tabular suite alone (ablations, a 10,000-row run) leaves the
        # recorded RESULTS.md, every other suite's, as it is.
        out_dir = os.path.join(HERE, "_tabular")
    else:
        out_dir = HERE
    command = (
        "python -m benchmarks"
        + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    if not C.have_toynet():
        log(
            f"WARNING: sklearn_toynet not importable ({C.TOYNET_IMPORT_ERROR}); "
            "running without ToyNet"
        )
    load_before = load_average()
    if busy_warning(load_before):
        log("WARNING: " + busy_warning(load_before))
    use_clock(args.clock)
    limits = None
    if args.threads:
        limits = threadpool_limits(args.threads)
    elif args.blas_threads:
        limits = threadpool_limits(args.blas_threads, user_api="blas")
    start = time.perf_counter()
    sections = []
    try:
        for name in only or SUITES:
            log(f"[{name}]")
            for section in SUITES[name](cfg, log):
                section.notes.append(machine_line())
                sections.append(section)
                print(section_markdown(section), flush=True)
    finally:
        if limits is not None:
            limits.restore_original_limits()
    elapsed = time.perf_counter() - start
    print(summary_markdown(sections))

    info = machine_info(REPO)
    if args.threads:
        info["every thread pool limited to (--threads)"] = args.threads
    elif args.blas_threads:
        info["BLAS threads limited to (--blas-threads)"] = args.blas_threads
    info["clock (--clock)"] = args.clock
    load_after = load_average()
    if load_before is not None:
        loads = f"{load_before:.2f} / {load_after:.2f}"
        info["load average (1 min) before / after"] = loads
    os.makedirs(out_dir, exist_ok=True)
    preface = []
    if args.clock == "cpu":
        preface += [
            "Timings are this process's CPU time"
            + (" with one BLAS thread" if args.blas_threads == 1 else "")
            + ", not wall-clock: other work shared the machine (see the load",
            "average below and `--clock` in README.md).",
            "",
        ]
    text = results_markdown(sections, info, blas_info(), command, elapsed, preface)
    results = os.path.join(out_dir, "RESULTS.md")
    with open(results, "w") as f:
        f.write(text)
    log(f"results written to {results} ({elapsed:.0f} s)")
    if not args.no_plot:
        log(plot(sections, os.path.join(out_dir, "results.png")))
        if "tabular" in (only or SUITES):
            tabular_png = os.path.join(out_dir, "tabular.png")
            log(suite_tabular.plot_error_vs_time(sections, tabular_png))


if __name__ == "__main__":
    main()

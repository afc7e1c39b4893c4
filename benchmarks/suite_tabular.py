"""Real tables, defaults as users get them: error and CPU fit time (issue 22).

Every contender is fitted at its defaults (only ``random_state`` fixed) on
random 75/25 splits of the development tables (``_tables.py``), the training
rows capped (3,000 by default). The error of one fit is the classification
error rate, or for regression the test RMSE divided by the test targets'
standard deviation (``ddof=0``: predicting the test mean scores exactly 1).
Fit seconds are this process's CPU time during ``fit`` (every thread's work
counts, so a two-thread fit is not cheaper than a one-thread one).

Contenders (``CONTENDERS``):

- "ToyNetTabular": ``ToyNetTabularClassifier`` / ``ToyNetTabularRegressor``,
  handed the DataFrame itself (strings as ``object``, missing values kept).
- "ToyNet" and "MLP": ``ToyNetClassifier`` / ``ToyNetRegressor`` and
  ``MLPClassifier`` / ``MLPRegressor`` behind the usual preprocessing
  (``OneHotEncoder(handle_unknown="ignore")`` on the string columns, missing
  strings a category of their own; ``SimpleImputer`` then ``StandardScaler``
  on the numbers, one ``ColumnTransformer``), regression targets standardized
  (``TransformedTargetRegressor`` with a ``StandardScaler``).
- "HGB": ``HistGradientBoostingClassifier`` / ``Regressor`` with native
  categoricals (``categorical_features="from_dtype"``; the string columns
  become ``category`` columns with the training rows' categories first).
- "RealMLP-TD" (pytabkit) and "LightGBM", when those packages are installed:
  optional, never a dependency. RealMLP-TD refuses missing numbers, so its
  pipeline fills them with the training medians first (``FillNumberGaps``).

The aggregate is described in ``shifted_geomean_ratio``. Variants
(``parse_variant``) add rows of the tabular pair with parameters overridden,
for ablations.
"""

import ast
import math
import os
import time
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from . import _tables as T
from ._results import Check, Row, Section

TABULAR = "ToyNetTabular"
TOYNET = "ToyNet"
MLP = "MLP"
HGB = "HGB"
REALMLP = "RealMLP-TD"
LIGHTGBM = "LightGBM"
CONTENDERS = [TABULAR, TOYNET, MLP, HGB, REALMLP, LIGHTGBM]

SHIFT = 0.01  # the shifted geometric mean's shift, in error units
DEFAULT_MAX_TRAIN = 3000
# --quick: four small tables, both tasks.
QUICK_SETS = ["penguins", "SwissLabor", "HousePrices", "College"]

# The targets for the tabular pair (checked in the aggregate table).
TARGET_VS_MLP = 0.85
TARGET_SETS_BEATING_HGB = 12
# ... and against RealMLP-TD, when it runs: its error at most, a third of its time.
TARGET_VS_REALMLP = 1.0
TARGET_TIME_VS_REALMLP = 1 / 3


# -- contenders ------------------------------------------------------------------


class CategoryDtypes(TransformerMixin, BaseEstimator):
    """Turn string columns into pandas ``category`` columns, categories from fit.

    What HistGradientBoosting (``categorical_features="from_dtype"``) and
    LightGBM need to treat a column as categorical. The categories are the
    training rows' values, so the test rows get the same codes; a value unseen
    in training becomes missing.
    """

    def fit(self, X, y=None):
        self.categories_ = {
            c: sorted(X[c].dropna().unique()) for c in T.categorical_columns(X)
        }
        return self

    def transform(self, X):
        import pandas as pd

        X = X.copy()
        for c, categories in self.categories_.items():
            known = X[c].where(X[c].isin(categories))  # unseen -> missing
            X[c] = known.astype(pd.CategoricalDtype(categories))
        return X


class FillNumberGaps(TransformerMixin, BaseEstimator):
    """Fill the number columns' gaps with their training medians.

    What a user puts in front of RealMLP-TD, whose defaults refuse missing
    numbers ("NaN values in continuous columns are currently not allowed"):
    without it, RealMLP-TD has no error on Chile and penguins, and so no
    aggregate. Category columns are left as they are.
    """

    def fit(self, X, y=None):
        numeric = [c for c in X.columns if c not in T.categorical_columns(X)]
        self.medians_ = X[numeric].median()
        return self

    def transform(self, X):
        return X.fillna(self.medians_)


def _preprocessor(X):
    """One-hot strings, impute and standardize numbers: the usual pipeline."""
    categorical = T.categorical_columns(X)
    numeric = [c for c in X.columns if c not in categorical]
    return ColumnTransformer(
        [
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                categorical,
            ),
            ("numeric", make_pipeline(SimpleImputer(), StandardScaler()), numeric),
        ]
    )


def _toynet_tabular():
    from sklearn_toynet import ToyNetTabularClassifier, ToyNetTabularRegressor

    return ToyNetTabularClassifier, ToyNetTabularRegressor


def _toynet():
    from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

    return ToyNetClassifier, ToyNetRegressor


def _mlp():
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    return MLPClassifier, MLPRegressor


def _hgb():
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
    )

    return HistGradientBoostingClassifier, HistGradientBoostingRegressor


def _realmlp():
    from pytabkit import RealMLP_TD_Classifier, RealMLP_TD_Regressor

    return RealMLP_TD_Classifier, RealMLP_TD_Regressor


def _lightgbm():
    from lightgbm import LGBMClassifier, LGBMRegressor

    return LGBMClassifier, LGBMRegressor


_CLASSES = {
    TABULAR: _toynet_tabular,
    TOYNET: _toynet,
    MLP: _mlp,
    HGB: _hgb,
    REALMLP: _realmlp,
    LIGHTGBM: _lightgbm,
}


def availability(name):
    """``None`` when contender ``name`` can run here, else why it cannot."""
    try:
        _CLASSES[name]()
    except ImportError as exc:
        return f"not importable ({exc})"
    return None


def make(name, task, X, random_state, params=None):
    """Contender ``name`` at its defaults for ``task``, ready to fit on ``X``.

    Parameters
    ----------
    name : str
        One of ``CONTENDERS``.
    task : {"classification", "regression"}
    X : pandas.DataFrame
        The training features (the usual pipeline needs their column kinds).
    random_state : int
    params : dict, optional
        Overrides for the tabular pair (variants), through ``set_params``.
    """
    classifier, regressor = _CLASSES[name]()
    cls = classifier if task == T.CLASSIFICATION else regressor
    if name == TABULAR:
        est = cls(random_state=random_state)
        return est.set_params(**(params or {}))
    if name in (TOYNET, MLP):
        est = make_pipeline(_preprocessor(X), cls(random_state=random_state))
        if task == T.REGRESSION:
            est = TransformedTargetRegressor(est, transformer=StandardScaler())
        return est
    if name == HGB:
        est = cls(categorical_features="from_dtype", random_state=random_state)
    elif name == LIGHTGBM:
        est = cls(random_state=random_state, verbose=-1)  # verbose: no log lines
    else:  # RealMLP-TD
        est = cls(random_state=random_state, device="cpu")
        return make_pipeline(CategoryDtypes(), FillNumberGaps(), est)
    return make_pipeline(CategoryDtypes(), est)


# -- one fit ---------------------------------------------------------------------


def error(task, y_true, y_pred):
    """Error rate (classification) or RMSE / std of ``y_true`` (regression)."""
    if task == T.CLASSIFICATION:
        return float(np.mean(y_true != y_pred))
    rmse = math.sqrt(np.mean((y_true - y_pred) ** 2))
    return rmse / float(np.std(y_true))


def split(X, y, seed, max_train):
    """A random 75/25 split (``seed``), the training part cut to ``max_train`` rows."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=seed
    )
    return X_train.iloc[:max_train], X_test, y_train[:max_train], y_test


def fit_and_score(est, task, X_train, y_train, X_test, y_test):
    """Fit ``est`` and return (test error, CPU seconds of the fit)."""
    with warnings.catch_warnings():
        # MLP's (and the drop-in's) defaults often stop at max_iter on these
        # tables: the defaults are measured as users get them, warning and all,
        # so the warning is expected and only clutters the log.
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.process_time()
        est.fit(X_train, y_train)
        seconds = time.process_time() - start
    return error(task, np.asarray(y_test), np.asarray(est.predict(X_test))), seconds


# -- aggregate -------------------------------------------------------------------


def shifted_geomean_ratio(errors, reference, shift=SHIFT):
    """A contender's errors against a reference's, as one shifted geometric mean.

    With ``e[s, k]`` the contender's error on table ``s``, split ``k``, and
    ``r[s, k]`` the reference's on the same split, the aggregate is

        exp( mean_s mean_k log((e[s, k] + shift) / (r[s, k] + shift)) )

    that is, the shifted geometric mean ``exp(mean log(e + shift))`` of the
    contender's errors divided by the reference's, every table weighing the
    same however many splits it has. The reference's own aggregate is 1.0
    exactly; 0.9 reads "10% lower error, on the geometric average". The shift
    keeps a near-zero error (penguins) from dominating: on an error of 0.005
    against 0.01, a ratio of 0.5 becomes 0.75.

    Parameters
    ----------
    errors, reference : dict of str -> sequence of float
        Per table, the errors of each split, in the same split order.
    shift : float

    Returns
    -------
    float or None
        None when a table is missing from either side.
    """
    if not errors or set(errors) != set(reference):
        return None
    logs = []
    for table, values in errors.items():
        e = np.asarray(values, dtype=float)
        r = np.asarray(reference[table], dtype=float)
        if e.shape != r.shape or e.size == 0:
            return None
        logs.append(np.mean(np.log((e + shift) / (r + shift))))
    return float(np.exp(np.mean(logs)))


# -- variants --------------------------------------------------------------------


def _split_top_level(text, sep=","):
    """Split at ``sep`` outside brackets: "a=(1,2),b=3" -> ["a=(1,2)", "b=3"]."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_variant(text):
    """``"NAME=param=value,param=value"`` -> ``(NAME, {param: value})``.

    Values are Python literals (``None``, ``0.1``, ``(256, 256)``, ``'adam'``);
    anything else is kept as a string (``solver=adam``).
    """
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name or not rest.strip():
        raise ValueError(
            f"a variant is NAME=param=value[,param=value...], got {text!r}"
        )
    if name in CONTENDERS:
        raise ValueError(f"variant name {name!r} is a contender's name")
    params = {}
    for item in _split_top_level(rest):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"variant {name!r}: {item!r} is not param=value")
        try:
            params[key.strip()] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            params[key.strip()] = value.strip()
    return name, params


# -- the suite -------------------------------------------------------------------


def sets_above(max_train, names=None):
    """The tables (of ``names``, default all) whose 75/25 split has more than
    ``max_train`` training rows: where a larger cap changes anything."""
    names = names or [t.name for t in T.TABLES]
    kept = []
    for name in names:
        n = len(T.load(name)[1])
        if n - math.ceil(0.25 * n) > max_train:  # train_test_split's test size
            kept.append(name)
    return kept


def _plan(cfg):
    """The tables, contenders and variants this run measures, and notes on why not."""
    notes = []
    max_train = cfg.get("tabular_max_train", DEFAULT_MAX_TRAIN)
    names = cfg.get("tabular_sets") or [t.name for t in T.TABLES]
    unknown = [n for n in names if n not in T.BY_NAME]
    if unknown:
        raise ValueError(f"unknown tables {unknown}; known: {list(T.BY_NAME)}")
    tables = [T.BY_NAME[n] for n in names]
    wanted = cfg.get("tabular_contenders") or CONTENDERS
    contenders = []
    for name in wanted:
        if name not in CONTENDERS:
            raise ValueError(f"unknown contender {name!r}; known: {CONTENDERS}")
        why_not = availability(name)
        if why_not is None:
            contenders.append((name, name, None))
        else:
            notes.append(f"{name} skipped: {why_not}")
    variants = cfg.get("tabular_variants") or []
    if variants and availability(TABULAR) is not None:
        notes.append(f"variants skipped: {TABULAR} {availability(TABULAR)}")
        variants = []
    for _, params in variants:
        for cls in _CLASSES[TABULAR]():
            cls().set_params(**params)  # a bad parameter fails here, not mid-run
    contenders += [(label, TABULAR, params) for label, params in variants]
    for label, params in variants:
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
        notes.append(f"variant {label}: {TABULAR} with {shown}")
    return tables, contenders, max_train, notes


def measure(cfg, log=print):
    """Fit every contender on every table and split.

    Returns
    -------
    results : dict
        ``results[label][table] = {"errors": [...], "seconds": [...]}`` per
        split, and ``results["_rows"][table]`` the training rows of a split.
    notes : list of str
    """
    tables, contenders, max_train, notes = _plan(cfg)
    splits = cfg.get("tabular_splits", 3)
    results = {label: {} for label, _, _ in contenders}
    failed = {label: set() for label in results}  # a table a contender failed on
    rows = {}
    for table in tables:
        X, y = T.load(table)
        for seed in range(splits):
            X_train, X_test, y_train, y_test = split(X, y, seed, max_train)
            rows[table.name] = len(X_train)
            for label, name, params in contenders:
                if table.name in failed[label]:
                    continue
                est = make(name, table.task, X_train, seed, params)
                try:
                    err, seconds = fit_and_score(
                        est, table.task, X_train, y_train, X_test, y_test
                    )
                except Exception as exc:  # a contender's failure is a result too
                    notes.append(f"{label} failed on {table.name}: {exc!r}")
                    log(f"  tabular: {label} FAILED on {table.name}: {exc!r}")
                    failed[label].add(table.name)
                    results[label].pop(table.name, None)
                    continue
                entry = results[label].setdefault(
                    table.name, {"errors": [], "seconds": []}
                )
                entry["errors"].append(err)
                entry["seconds"].append(seconds)
                log(
                    f"  tabular: {table.name} split {seed} {label}: "
                    f"error {err:.4f}, {seconds:.2f} CPU s"
                )
    results["_rows"] = rows
    return results, notes, tables, [label for label, _, _ in contenders]


def sections(results, notes, tables, labels, cfg, title="Tables", targets=True):
    """The per-table error and time tables and the aggregate, as Sections.

    ``title`` starts every section's title; ``targets`` adds the issue's
    targets to the tabular pair's aggregate row (the development suite's run).
    """
    rows = results["_rows"]
    splits = cfg.get("tabular_splits", 3)
    max_train = cfg.get("tabular_max_train", DEFAULT_MAX_TRAIN)
    scope = (
        f"{len(tables)} tables, {splits} random 75/25 split(s), "
        f"at most {max_train:,} training rows"
    )
    err = Section(
        "tabular",
        f"{title}: test error by table, defaults, {scope}",
        "",
        list(labels),
        fmt="{:.3f}",
        notes=[
            "error: classification error rate; regression RMSE / the test targets' "
            "standard deviation (1.0 = predicting the mean); mean over the splits",
            *[f"{t.name}: {t.label}, {t.task}" for t in tables],
        ],
    )
    secs = Section(
        "tabular",
        f"{title}: CPU fit seconds by table, {scope}",
        "s",
        list(labels),
        fmt="{:.2f}",
        notes=["this process's CPU time of one fit, every thread's; mean over splits"],
    )
    for table in tables:
        kind = "clf" if table.task == T.CLASSIFICATION else "reg"
        case = f"{table.name} ({kind}), {rows.get(table.name, 0):,} rows"
        err_vals, sec_vals = {}, {}
        for label in labels:
            entry = results[label].get(table.name)
            if entry:
                err_vals[label] = float(np.mean(entry["errors"]))
                sec_vals[label] = float(np.mean(entry["seconds"]))
        err.rows.append(Row(case, err_vals))
        secs.rows.append(Row(case, sec_vals))

    reference = {t: v["errors"] for t, v in results.get(MLP, {}).items()}
    hgb = {t: np.mean(v["errors"]) for t, v in results.get(HGB, {}).items()}
    all_tables = len(tables) == len(T.TABLES)
    agg = Section(
        "tabular",
        f"{title}: aggregate error relative to MLP and CPU fit time, {scope}",
        "",
        ["error / MLP", "tables better than HGB", "fit s", "slowest fit s"],
        fmt="{:.3g}",
        notes=[
            "error / MLP: shifted geometric mean (shift 0.01) of the error ratio to "
            "MLP's, split by split, every table weighing the same; MLP = 1 "
            "(`suite_tabular.shifted_geomean_ratio`)",
            "tables better than HGB: mean error over the splits below HGB's",
            "fit s: CPU seconds to fit every table once (sum over the tables of the "
            "mean over splits); slowest fit s: the largest single fit",
            *notes,
        ],
    )
    hgb_agg = None
    if HGB in results:
        hgb_agg = shifted_geomean_ratio(
            {t: v["errors"] for t, v in results[HGB].items()}, reference
        )
    realmlp = results.get(REALMLP, {})
    realmlp_agg = realmlp_fit = None
    if reference and realmlp and len(realmlp) == len(tables):
        realmlp_agg = shifted_geomean_ratio(
            {t: v["errors"] for t, v in realmlp.items()}, reference
        )
        realmlp_fit = sum(np.mean(v["seconds"]) for v in realmlp.values())
    for label in labels:
        per_table = results[label]
        complete = len(per_table) == len(tables)
        value = None
        if complete and reference:
            value = shifted_geomean_ratio(
                {t: v["errors"] for t, v in per_table.items()}, reference
            )
        better = None
        if label != HGB and complete and len(hgb) == len(tables):
            better = sum(np.mean(per_table[t]["errors"]) < hgb[t] for t in hgb)
        fit_s = sum(np.mean(v["seconds"]) for v in per_table.values())
        slowest = max((max(v["seconds"]) for v in per_table.values()), default=None)
        checks = []
        if label == TABULAR and targets:
            checks = [
                Check("vs MLP", value, TARGET_VS_MLP),
                Check(
                    "vs HGB",
                    None if value is None or hgb_agg is None else value / hgb_agg,
                    1.0,
                ),
            ]
            if all_tables:
                checks.append(
                    Check(
                        "tables better than HGB",
                        better,
                        TARGET_SETS_BEATING_HGB,
                        ">=",
                        kind="count",
                    )
                )
            if realmlp_agg is not None:
                checks += [
                    Check(
                        "vs RealMLP-TD",
                        None if value is None else value / realmlp_agg,
                        TARGET_VS_REALMLP,
                    ),
                    Check(
                        "time vs RealMLP-TD",
                        fit_s / realmlp_fit if per_table else None,
                        TARGET_TIME_VS_REALMLP,
                    ),
                ]
        agg.rows.append(
            Row(
                label,
                {
                    "error / MLP": value,
                    "tables better than HGB": better,
                    "fit s": fit_s if per_table else None,
                    "slowest fit s": slowest,
                },
                checks,
            )
        )
    return [err, secs, agg]


def run(cfg, log=print):
    """The suite's entry for ``python -m benchmarks``: measure, then tabulate.

    With ``cfg["tabular_large_max_train"]`` (the full run: 10,000), the
    tables with more training rows than the development cap are run again
    with that cap, contenders at their defaults (no variants; not RealMLP-TD,
    minutes a fit there), as "Larger tables" sections.
    """
    results, notes, tables, labels = measure(cfg, log)
    out = sections(results, notes, tables, labels, cfg)
    large = cfg.get("tabular_large_max_train")
    if large:
        names = [t.name for t in tables]
        # RealMLP-TD takes minutes a fit at 10,000 rows: the development run has it.
        contenders = [
            c for c in cfg.get("tabular_contenders") or CONTENDERS if c != REALMLP
        ]
        larger = dict(
            cfg,
            tabular_contenders=contenders,
            tabular_max_train=large,
            tabular_sets=sets_above(
                cfg.get("tabular_max_train", DEFAULT_MAX_TRAIN), names
            ),
            tabular_variants=[],
        )
        if larger["tabular_sets"]:
            results, notes, tables, labels = measure(larger, log)
            out += sections(
                results, notes, tables, labels, larger, "Larger tables", False
            )
    return out


# -- plot ------------------------------------------------------------------------


def plot_error_vs_time(aggregate, path):
    """Each contender's aggregate error against its CPU fit time, one point each.

    Parameters
    ----------
    aggregate : Section or list of Section
        The aggregate table ``run`` returns (or all of ``run``'s sections: the
        aggregate is found by its title).
    path : str
        Where the PNG goes.

    Returns
    -------
    str
        What happened, for the log.
    """
    if isinstance(aggregate, (list, tuple)):
        found = [s for s in aggregate if s.title.startswith("Tables: aggregate")]
        if not found:
            return "no tabular aggregate: no tabular plot written"
        aggregate = found[0]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import ScalarFormatter
    except ImportError:
        return "matplotlib is not installed: no tabular plot written"
    points = [
        (row.case, row.values.get("fit s"), row.values.get("error / MLP"))
        for row in aggregate.rows
        if row.values.get("fit s") and row.values.get("error / MLP") is not None
    ]
    if not points:
        return "nothing to plot"
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for label, seconds, value in points:
        ax.scatter([seconds], [value], s=36)
        ax.annotate(label, (seconds, value), textcoords="offset points", xytext=(5, 4))
    ax.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ScalarFormatter())  # 2, 20, 200; not 2x10^1
    ax.margins(0.2)  # room for the labels beside the outermost points
    ax.set_xlabel("CPU seconds to fit every table once (log scale)")
    ax.set_ylabel("error relative to MLP's (shifted geometric mean)")
    ax.set_title(aggregate.title.split(", ", 1)[-1], fontsize=8)
    fig.suptitle("Real tables at defaults: error against fit time (lower left wins)")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return f"tabular plot written to {path}"

"""Accuracy must not pay for speed: defaults, StandardScaler pipeline, 5-fold CV.

Both estimators run at their default hyperparameters (only ``random_state``
is fixed for reproducibility) on the datasets scikit-learn ships.
"""

import warnings

from sklearn import datasets
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import _contenders as C
from ._results import Check, Row, Section, ratio

LOADERS = {
    "iris": datasets.load_iris,
    "wine": datasets.load_wine,
    "breast_cancer": datasets.load_breast_cancer,
    "digits": datasets.load_digits,
}


def _cv(est, X, y, folds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = cross_validate(make_pipeline(StandardScaler(), est), X, y, cv=folds)
    return 100 * res["test_score"].mean(), res["fit_time"].sum()


def run(cfg, log=print):
    folds = cfg["cv_folds"]
    cols = [
        f"{C.TOYNET} acc %",
        f"{C.MLP} acc %",
        f"{C.TOYNET} fit s",
        f"{C.MLP} fit s",
    ]
    section = Section(
        "accuracy",
        f"Defaults in a StandardScaler pipeline, {folds}-fold CV accuracy "
        "and total fit time",
        "",
        cols,
        fmt="{:.2f}",
        notes=[
            "accuracy target: ToyNet - MLP >= -1 point; time target: total fit <= MLP's"
        ],
    )
    totals = {C.TOYNET: 0.0, C.MLP: 0.0}
    for name in cfg["cv_datasets"]:
        log(f"  accuracy: {name} ...")
        X, y = LOADERS[name](return_X_y=True)
        res = {C.MLP: _cv(C.MLPClassifier(random_state=0), X, y, folds)}
        if C.have_toynet():
            res[C.TOYNET] = _cv(C.ToyNetClassifier(random_state=0), X, y, folds)
        vals = {}
        for est, (acc, fit_s) in res.items():
            vals[f"{est} acc %"], vals[f"{est} fit s"] = acc, fit_s
            totals[est] += fit_s
        toy_acc = res.get(C.TOYNET, (None, None))[0]
        diff = None if toy_acc is None else toy_acc - res[C.MLP][0]
        section.rows.append(
            Row(
                name,
                vals,
                [
                    Check("ToyNet-MLP acc pts", diff, -1.0, ">=", kind="points"),
                    Check(
                        "fit ToyNet/MLP",
                        ratio(vals.get(f"{C.TOYNET} fit s"), vals[f"{C.MLP} fit s"]),
                    ),
                ],
            )
        )
    toy_total = totals[C.TOYNET] if C.have_toynet() else None
    section.rows.append(
        Row(
            "total fit time",
            {f"{C.TOYNET} fit s": toy_total, f"{C.MLP} fit s": totals[C.MLP]},
            [Check("fit ToyNet/MLP", ratio(toy_total, totals[C.MLP]), 1.0)],
        )
    )
    return [section]

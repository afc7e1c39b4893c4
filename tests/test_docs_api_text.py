"""What the API reference shows: each estimator's docs name its own MLP.

The estimators' parameter and attribute docs are written once, in
sklearn_toynet/_params.py, with ``{mlp}`` where the estimator MLP drops in for
is named; the regressor's page must say MLPRegressor there, never
MLPClassifier.
"""

import inspect

import pytest

from sklearn_toynet import (
    ToyNetClassifier,
    ToyNetRegressor,
    ToyNetTabularClassifier,
    ToyNetTabularRegressor,
)


def rendered_docs(cls):
    """The class docstring and those of its public methods, as the API page shows."""
    docs = {"class": inspect.getdoc(cls)}
    for name, member in inspect.getmembers(cls):
        if not name.startswith("_") and callable(member) and member.__doc__:
            docs[name] = inspect.getdoc(member)
    return docs


@pytest.mark.parametrize(
    "cls, own, other",
    [
        (ToyNetRegressor, "MLPRegressor", "MLPClassifier"),
        (ToyNetClassifier, "MLPClassifier", "MLPRegressor"),
        (ToyNetTabularRegressor, "MLPRegressor", "MLPClassifier"),
        (ToyNetTabularClassifier, "MLPClassifier", "MLPRegressor"),
    ],
)
def test_docs_name_the_estimators_own_mlp(cls, own, other):
    docs = rendered_docs(cls)
    wrong = [name for name, doc in docs.items() if other in doc]
    assert not wrong, f"{cls.__name__}'s docs say {other} in: {wrong}"
    assert docs["class"].count(own) >= 9  # the shared entries name it
    assert not [
        name for name, doc in docs.items() if "{mlp}" in doc or "{score}" in doc
    ]


def test_default_scoring_is_named_per_estimator():
    assert "None: MLPRegressor's choice, R^2." in ToyNetRegressor.__doc__
    assert "None: MLPClassifier's choice, accuracy." in ToyNetClassifier.__doc__
    # The tabular pair's scoring entry still names its own MLP's choice for None.
    for cls, own in [
        (ToyNetTabularRegressor, "None: MLPRegressor's choice, R^2."),
        (ToyNetTabularClassifier, "None: MLPClassifier's choice, accuracy."),
    ]:
        assert own in cls.__doc__

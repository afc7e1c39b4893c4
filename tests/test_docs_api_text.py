"""What the API reference shows: each estimator's docs name its own MLP; the page
lists every public name of the package's public modules, and the import lines
it writes work.

The estimators' parameter and attribute docs are written once, in
sklearn_toynet/_params.py, with ``{mlp}`` where the estimator MLP drops in for
is named; the regressor's page must say MLPRegressor there, never
MLPClassifier.
"""

import importlib
import inspect
import re
from pathlib import Path

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


# -- the API page: every public name, and where it imports from ----------------------

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.rst"


def _listed_on_api_page():
    """Names the API page documents: autosummary entries and directives."""
    text = API_PAGE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\s+(?:\w+\.)?(\w+)\s*$", text, re.M))
    directive = r"^\.\. (?:auto\w+|data|class|function):: (?:[\w.]+\.)?(\w+)"
    return listed | set(re.findall(directive, text, re.M))


def _public_names(module):
    if hasattr(module, "__all__"):
        return [name for name in module.__all__ if not name.startswith("__")]
    # A module without __all__ (blog): what it defines, not what it imports.
    return [
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and not inspect.ismodule(obj)
        and getattr(obj, "__module__", module.__name__) == module.__name__
    ]


@pytest.mark.parametrize("module_name", ["blog", "onnx", "mlflow"])
def test_api_page_lists_every_public_name_of_each_public_module(module_name):
    pytest.importorskip(
        {"onnx": "skl2onnx", "mlflow": "mlflow"}.get(module_name, "sklearn_toynet")
    )
    module = importlib.import_module(f"sklearn_toynet.{module_name}")
    missing = set(_public_names(module)) - _listed_on_api_page()
    assert not missing, f"docs/api.rst lacks sklearn_toynet.{module_name}'s {missing}"


def test_api_page_import_lines_run():
    # "from sklearn_toynet import to_onnx" written on the page must work.
    text = " ".join(API_PAGE.read_text(encoding="utf-8").split())
    statements = re.findall(r"``((?:from|import) sklearn_toynet[^`]*)``", text)
    runnable = [s for s in statements if "..." not in s]
    assert runnable, statements
    for statement in runnable:
        exec(statement, {})  # an ImportError names the statement in the traceback

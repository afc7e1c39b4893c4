"""Early stopping does what its name promises.

The validation split is stratified (binary and multiclass), and the weights of
the best validation score are the ones restored at the end.
"""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from sklearn_toynet import ToyNetClassifier, _validation

from _helpers import quiet_fit as quiet

# -- early stopping -----------------------------------------------------------------


@pytest.fixture
def recorded_splits(monkeypatch):
    """Record the arguments and results of the early-stopping split.

    The split draws row numbers: its results are the training rows' and the
    validation rows'.
    """
    calls = []
    original = _validation.train_test_split

    def recording(*arrays, **kwargs):
        parts = original(*arrays, **kwargs)
        calls.append((kwargs, parts))
        return parts

    monkeypatch.setattr(_validation, "train_test_split", recording)
    return calls


def test_early_stopping_split_is_stratified(recorded_splits):
    X, y = make_classification(200, weights=[0.8, 0.2], random_state=0)
    clf = ToyNetClassifier(early_stopping=True, max_iter=5, random_state=0)
    quiet(clf, X, y)
    ((kwargs, parts),) = recorded_splits
    assert kwargs["stratify"] is not None
    # Both sides keep the class proportions.
    train, val = parts
    Y_train, Y_val = y[train], y[val]
    assert Y_val.mean() == pytest.approx(y.mean(), abs=0.03)
    assert Y_train.mean() == pytest.approx(y.mean(), abs=0.03)
    # One member of a class cannot be stratified: the split says so.
    with pytest.raises(ValueError, match="least populated class"):
        ToyNetClassifier(early_stopping=True).fit(X[:4], [0, 0, 0, 1])


def test_early_stopping_split_is_stratified_for_multiclass(recorded_splits):
    X, y = make_classification(
        300, n_classes=3, n_informative=4, weights=[0.7, 0.2, 0.1], random_state=0
    )
    quiet(ToyNetClassifier(early_stopping=True, max_iter=5, random_state=0), X, y)
    ((kwargs, parts),) = recorded_splits
    assert kwargs["stratify"] is not None
    # Each class keeps its share on the held-out side.
    _, val = parts
    proportions = np.bincount(y) / len(y)
    held_out = np.bincount(y[val], minlength=3) / len(val)
    np.testing.assert_allclose(held_out, proportions, atol=0.02)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_early_stopping_restores_the_best_weights(recorded_splits, batch_norm):
    X, y = make_classification(300, n_features=10, flip_y=0.2, random_state=0)
    clf = ToyNetClassifier(
        hidden_layer_sizes=(50,),
        batch_norm=batch_norm,
        early_stopping=True,
        solver="sgd",
        learning_rate_init=0.5,
        n_iter_no_change=5,
        max_iter=200,
        random_state=0,
    ).fit(X, y)
    scores = clf.validation_scores_
    assert len(scores) == clf.n_iter_ < 200
    assert clf.best_loss_ is None
    assert clf.best_validation_score_ == max(scores)
    # The last epoch was worse than the best: restoring matters here.
    assert scores[-1] < clf.best_validation_score_
    ((_, (_, val)),) = recorded_splits
    assert clf.score(X[val], y[val]) == clf.best_validation_score_

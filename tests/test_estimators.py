"""The estimators under scikit-learn's own utilities, and their failure modes."""
import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import cross_val_score

from gbdt2nn import GBDT2NNClassifier, GBDT2NNRegressor
from gbdt2nn.data import load_dataset

SMALL = dict(n_trees=30, num_leaves=8, n_groups=4, features_per_group=4, embedding_dim=4, hidden_sizes=(16,),
             epochs=3, min_steps=0, batch_size=64, embedding_epochs=5, progress=False)


def test_clone_keeps_parameters_and_drops_fitted_state():
    model = GBDT2NNClassifier(**SMALL, seed=7)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    copy.set_params(epochs=5, hidden_sizes=(8, 8))
    assert copy.epochs == 5 and model.epochs == 3
    assert is_classifier(GBDT2NNClassifier()) and is_regressor(GBDT2NNRegressor())


def test_cross_val_score_classifier():
    ds = load_dataset("breast_cancer")
    scores = cross_val_score(GBDT2NNClassifier(**SMALL), ds.X_train, ds.y_train, cv=3, scoring="roc_auc")
    assert scores.shape == (3,) and np.all(scores > 0.8)


def test_cross_val_score_regressor():
    ds = load_dataset("diabetes")
    scores = cross_val_score(GBDT2NNRegressor(**{**SMALL, "epochs": 40, "batch_size": 16}), ds.X_train, ds.y_train,
                             cv=3, scoring="r2")
    assert scores.shape == (3,) and np.mean(scores) > 0.2


def test_same_seed_same_model_and_other_seed_another():
    ds = load_dataset("breast_cancer")
    fit = lambda seed: GBDT2NNClassifier(**SMALL, seed=seed).fit(ds.X_train, ds.y_train).decision_function(ds.X_test)
    first = fit(0)
    assert np.array_equal(first, fit(0))
    assert not np.array_equal(first, fit(1))


def test_numpy_input_and_nan_features_work():
    ds = load_dataset("breast_cancer")
    X = ds.X_train.to_numpy().copy()
    X[::7, 3] = np.nan
    model = GBDT2NNClassifier(**SMALL).fit(X, ds.y_train.to_numpy())
    test = ds.X_test.to_numpy().copy()
    test[0, :] = np.nan
    assert np.isfinite(model.predict_proba(test)).all()


@pytest.mark.parametrize("bad, message", [
    (lambda X, y: (X.iloc[:0], y[:0]), "empty"),
    (lambda X, y: (X, np.where(np.arange(len(y)) == 0, np.nan, y)), "NaN"),
    (lambda X, y: (X.assign(text="a"), y), "non-numeric"),
    (lambda X, y: (X, np.ones(len(y))), "single class"),
])
def test_bad_training_input_is_refused(bad, message):
    ds = load_dataset("breast_cancer")
    X, y = bad(ds.X_train, ds.y_train.to_numpy())
    with pytest.raises(ValueError, match=message):
        GBDT2NNClassifier(**SMALL).fit(X, y)

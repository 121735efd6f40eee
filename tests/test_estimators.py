"""The estimators under scikit-learn's own utilities, and their failure modes."""
import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import cross_val_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from gbdt2nn import GBDT2NNClassifier, GBDT2NNRegressor
from gbdt2nn.data import load_dataset

SMALL = dict(n_trees=30, num_leaves=8, n_groups=4, features_per_group=4, embedding_dim=4, hidden_sizes=(16,),
             student_epochs=3, student_min_steps=0, student_batch_size=64, embedding_epochs=5, progress=False)

# settings under which scikit-learn's small check datasets are learnt (its accuracy and R² thresholds)
CHECKED = dict(n_trees=40, num_leaves=8, n_groups=5, features_per_group=5, embedding_dim=4, hidden_sizes=(16,),
               student_epochs=2, student_min_steps=200, student_batch_size=32, embedding_min_steps=100, progress=False)


def test_clone_keeps_parameters_and_drops_fitted_state():
    model = GBDT2NNClassifier(**SMALL, seed=7)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    copy.set_params(student_epochs=5, hidden_sizes=(8, 8))
    assert copy.student_epochs == 5 and model.student_epochs == 3
    assert is_classifier(GBDT2NNClassifier()) and is_regressor(GBDT2NNRegressor())


def test_cross_val_score_classifier():
    ds = load_dataset("breast_cancer")
    scores = cross_val_score(GBDT2NNClassifier(**SMALL), ds.X_train, ds.y_train, cv=3, scoring="roc_auc")
    assert scores.shape == (3,) and np.all(scores > 0.8)


def test_cross_val_score_regressor():
    ds = load_dataset("diabetes")
    scores = cross_val_score(GBDT2NNRegressor(**{**SMALL, "student_epochs": 40, "student_batch_size": 16}), ds.X_train, ds.y_train,
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


def test_cover_gives_the_student_more_features_and_is_saved(tmp_path):
    ds = load_dataset("breast_cancer")
    models = {name: GBDT2NNClassifier(**SMALL, feature_selection=name).fit(ds.X_train, ds.y_train)
              for name in ("gain", "cover")}
    X = ds.X_test.iloc[:20]
    explained = {name: model.explain(X, method="shapley").values for name, model in models.items()}  # (20, d)
    read = {name: np.unique(np.concatenate(model.teacher_.group_features)) for name, model in models.items()}
    split_on = np.flatnonzero(models["gain"].teacher_.tables["split_gain"].sum(0) > 0)
    assert set(read["gain"]) < set(read["cover"]) <= set(split_on)  # the same trees, more of their features read
    for name, phi in explained.items():  # a feature no group reads gets exactly zero; a read one does not
        assert np.array_equal(np.flatnonzero(np.abs(phi).sum(0) > 0), read[name])
    again = GBDT2NNClassifier.load(models["cover"].save(tmp_path / "cover"))
    assert again.feature_selection == "cover"
    assert np.array_equal(again.decision_function(X), models["cover"].decision_function(X))
    assert [f.tolist() for f in again.teacher_.group_features] == [f.tolist() for f in models["cover"].teacher_.group_features]
    with pytest.raises(ValueError, match="feature_selection"):
        GBDT2NNClassifier(**SMALL, feature_selection="all").fit(ds.X_train, ds.y_train)


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


# scikit-learn's convention lets partial_fit start from nothing; ours continues a fitted student (the teacher and its
# leaf embeddings cannot be learnt online), so before `fit` it refuses: the checks that begin with partial_fit fail
PARTIAL_FIT_FIRST = {name: "partial_fit before fit is refused: the teacher and its leaf embeddings come from fit"
                     for name in ("check_estimators_partial_fit_n_features", "check_n_features_in_after_fitting",
                                  "check_dataframe_column_names_consistency")}


@parametrize_with_checks([GBDT2NNClassifier(**CHECKED), GBDT2NNRegressor(**CHECKED)],
                         expected_failed_checks=lambda estimator: PARTIAL_FIT_FIRST, xfail_strict=True)
def test_scikit_learn_estimator_checks(estimator, check):
    "scikit-learn's own estimator checks, with honest tags (NaN allowed; the classifier is binary only)."
    check(estimator)


@pytest.mark.parametrize("estimator", [GBDT2NNClassifier(**SMALL), GBDT2NNRegressor(**SMALL)])
def test_partial_fit_before_fit_says_to_fit_first(estimator):
    "The reason the checks above fail: an unfitted estimator's partial_fit asks for fit, as NotFittedError."
    from sklearn.exceptions import NotFittedError
    ds = load_dataset("breast_cancer")
    with pytest.raises(NotFittedError, match="call fit first"):
        estimator.partial_fit(ds.X_train, ds.y_train)
    assert not hasattr(estimator, "student_")


def test_partial_fit_after_fit_passes_the_column_checks_those_checks_make():
    "What the three refused checks test after their first partial_fit: other columns are refused, names included."
    ds = load_dataset("breast_cancer")
    model = GBDT2NNClassifier(**SMALL).fit(ds.X_train, ds.y_train)
    model.partial_fit(ds.X_valid, ds.y_valid)
    assert model.n_features_in_ == ds.X_train.shape[1]
    with pytest.raises(ValueError, match="expecting 30 features"):
        model.partial_fit(ds.X_valid.to_numpy()[:, :1], ds.y_valid)
    with pytest.raises(ValueError, match="different feature columns"):
        model.partial_fit(ds.X_valid.rename(columns=lambda c: c.upper()), ds.y_valid)


def test_renamed_parameters_say_their_new_name():
    with pytest.raises(TypeError, match="'lr' was renamed 'student_lr'"):
        GBDT2NNClassifier(lr=0.01)
    with pytest.raises(TypeError, match="'epochs' was renamed 'student_epochs'"):
        GBDT2NNRegressor(epochs=3)


def test_regressor_has_no_decision_function_and_classifier_scores_logits():
    ds = load_dataset("breast_cancer")
    model = GBDT2NNClassifier(**SMALL).fit(ds.X_train, ds.y_train)
    np.testing.assert_allclose(model.decision_function(ds.X_test), model.raw_score(ds.X_test))
    proba = model.predict_proba(ds.X_test)[:, 1]
    np.testing.assert_allclose(np.log(proba / (1 - proba)), model.raw_score(ds.X_test), rtol=1e-6, atol=1e-6)
    assert not hasattr(GBDT2NNRegressor(), "decision_function")


def test_default_is_the_explaining_recipe_and_deepgbm_one_argument_away():
    "GBDT2NNClassifier() is the selection chapter's recipe; from_recipe('deepgbm') is DeepGBM's plain student."
    from gbdt2nn.estimators import RECIPES
    for estimator in (GBDT2NNClassifier, GBDT2NNRegressor):
        assert {k: estimator().get_params()[k] for k in RECIPES["explaining"]} == RECIPES["explaining"]
        plain = estimator.from_recipe("deepgbm").configs()
        assert plain["CoalitionConfig"].coalition_weight == 0 and plain["FitConfig"].coalition_fallback is None
        assert plain["DistillConfig"].input_bins == 0 and plain["TeacherConfig"].feature_selection == "gain"


def test_default_fit_judges_the_plain_student_and_regroups_a_given_teacher():
    "A default fit records its fallback decision; a teacher of gain groups is read with covering groups."
    ds = load_dataset("breast_cancer")
    plain = GBDT2NNClassifier.from_recipe("deepgbm", **SMALL).fit(ds.X_train, ds.y_train)
    model = GBDT2NNClassifier(**SMALL, teacher=plain.teacher_).fit(ds.X_train, ds.y_train)
    assert model.fallback_["threshold"] == 0.9 and model.fallback_["kept"] in ("plain", "coalition")
    assert (model.fallback_["kept"] == "plain") == (model.fallback_["plain_same_r2"] >= 0.9)
    assert model.teacher_.booster is plain.teacher_.booster and model.teacher_.feature_selection == "cover"
    assert plain.teacher_.feature_selection == "gain" and model.student_.input_bins == 16


def test_folder_saved_before_the_recipe_parameters_loads_with_deepgbm_values(tmp_path):
    "A model folder whose parameters predate a recipe parameter loads with the value it was fitted with (deepgbm's)."
    import json

    from gbdt2nn.estimators import ESTIMATOR_FILES, RECIPES
    from gbdt2nn.io import write_manifest
    ds = load_dataset("breast_cancer")
    model = GBDT2NNClassifier.from_recipe("deepgbm", **SMALL).fit(ds.X_train, ds.y_train)
    folder = model.save(tmp_path / "old")
    config = json.loads((folder / "estimator.json").read_text())
    for name in ("input_bins", "coalition_fallback", "coalition_rows"):
        del config["params"][name]
    (folder / "estimator.json").write_text(json.dumps(config))
    write_manifest(folder, ESTIMATOR_FILES)
    loaded = GBDT2NNClassifier.load(folder)
    assert {k: loaded.get_params()[k] for k in RECIPES["deepgbm"]} == {**RECIPES["deepgbm"], "student_epochs": 3}
    np.testing.assert_array_equal(loaded.decision_function(ds.X_test), model.decision_function(ds.X_test))

"""Property-based and failure-mode tests of the data splits, tree groups and the teacher."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbdt2nn.data import encode_categories, load_dataset, split_indices
from gbdt2nn.teacher import Teacher, cover_features, make_groups, top_features


@given(n=st.integers(1, 5000), seed=st.integers(0, 2**31 - 1), split=st.sampled_from(["random", "time"]))
def test_split_is_a_deterministic_partition(n, seed, split):
    parts = split_indices(n, seed, split)
    joined = np.concatenate(parts)
    assert sorted(joined.tolist()) == list(range(n))
    again = split_indices(n, seed, split)
    assert all(np.array_equal(a, b) for a, b in zip(parts, again))
    if split == "time":
        assert np.array_equal(joined, np.arange(n))


@given(n_trees=st.integers(1, 400), n_groups=st.integers(1, 50), seed=st.integers(0, 1000),
       grouping=st.sampled_from(["random", "contiguous"]))
def test_groups_partition_trees_and_are_never_empty(n_trees, n_groups, seed, grouping):
    groups = make_groups(n_trees, n_groups, grouping, seed)
    assert len(groups) == min(n_trees, n_groups)
    assert all(len(g) > 0 for g in groups)
    assert sorted(np.concatenate(groups).tolist()) == list(range(n_trees))
    sizes = [len(g) for g in groups]
    assert max(sizes) - min(sizes) <= 1


@settings(max_examples=50)
@given(gains=st.lists(st.lists(st.floats(0, 100), min_size=4, max_size=4), min_size=1, max_size=6),
       k=st.integers(1, 6))
def test_top_features_are_the_largest_gains_without_padding(gains, k):
    split_gain = np.array(gains)
    groups = [np.arange(len(gains))]
    chosen = top_features(split_gain, groups, k)[0]
    total = split_gain.sum(0)
    assert len(chosen) == min(k, int((total > 0).sum()))
    assert all(total[j] > 0 for j in chosen)
    if len(chosen):
        assert total[chosen].min() >= np.sort(total)[::-1][len(chosen) - 1] - 1e-12


@settings(max_examples=100)
@given(gains=st.lists(st.lists(st.sampled_from([0.0, 0.0, 0.5, 1.0, 3.0, 10.0]), min_size=7, max_size=7),
                      min_size=2, max_size=12),
       n_groups=st.integers(1, 5), k=st.integers(1, 5))
def test_cover_reads_what_it_can_and_keeps_every_group_within_its_trees(gains, n_groups, k):
    split_gain = np.array(gains)  # (T, 7)
    groups = [g for g in np.array_split(np.arange(len(gains)), n_groups) if len(g)]
    by_gain = top_features(split_gain, groups, k)
    covered = cover_features(split_gain, groups, by_gain)
    group_gain = np.stack([split_gain[trees].sum(0) for trees in groups])  # (G, 7)
    count = lambda chosen: np.bincount(np.concatenate(chosen).astype(int), minlength=7)
    for g, features in enumerate(covered):
        assert len(features) == len(by_gain[g]) and len(set(features.tolist())) == len(features)
        assert np.all(group_gain[g, features] > 0)  # only features the group's trees split on
        assert np.all(np.diff(group_gain[g, features]) <= 0)  # best first
    before, after = count(by_gain), count(covered)
    assert np.all(after[before > 0] > 0)  # nothing read before is lost
    for feature in np.flatnonzero((group_gain.sum(0) > 0) & (after == 0)):  # left out: no group it matters to can spare
        assert all(after[j] == 1 for g in np.flatnonzero(group_gain[:, feature] > 0) for j in covered[g])
    if np.all(before[group_gain.sum(0) > 0] > 0):
        assert all(np.array_equal(a, b) for a, b in zip(covered, by_gain))


def test_encoding_is_kept_for_new_frames():
    frame = pd.DataFrame({"c": ["b", "a", None, "b"], "x": [1.0, 2.0, 3.0, 4.0]})
    encoded, levels = encode_categories(frame)
    assert levels == {"c": ["a", "b"]}
    assert encoded.c.tolist()[:2] == [1.0, 0.0] and np.isnan(encoded.c[2])
    new, _ = encode_categories(pd.DataFrame({"c": ["a", "z"], "x": [0.0, 0.0]}), levels)
    assert new.c[0] == 0.0 and np.isnan(new.c[1])


@pytest.fixture(scope="module")
def diabetes_teacher():
    ds = load_dataset("diabetes")
    return ds, Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="regression", n_trees=40,
                           num_leaves=6, n_groups=6, features_per_group=3, seed=3)


def test_teacher_identities_hold_on_regression(diabetes_teacher):
    ds, teacher = diabetes_teacher
    X = ds.X_test
    np.testing.assert_allclose(teacher.group_scores(X).sum(1), teacher.raw_score(X), atol=1e-8)
    np.testing.assert_allclose(teacher.group_shap(X).sum(1), teacher.shap(X), atol=1e-8)
    np.testing.assert_allclose(teacher.saabas(X).sum(1) + teacher.expected_value, teacher.raw_score(X), atol=1e-8)
    np.testing.assert_allclose(teacher.shap(X).sum(1) + teacher.expected_value, teacher.raw_score(X), atol=1e-8)
    explanation = teacher.explain(X)
    assert explanation.values.shape == (len(X), teacher.n_features)
    assert explanation.feature_names == ds.feature_names


def test_early_stopping_keeps_the_best_validation_iteration(diabetes_teacher):
    ds, _ = diabetes_teacher
    # the validation loss of every iteration, from a model grown without early stopping (same seed, same trees)
    full = Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="regression", n_trees=300, num_leaves=16,
                       early_stopping_rounds=300)
    curve = [np.mean((full.booster.predict(ds.X_valid.to_numpy(), raw_score=True, num_iteration=i) - ds.y_valid) ** 2)
             for i in range(1, full.n_trees + 1)]
    best = int(np.argmin(curve)) + 1
    assert best < 300 - 20, "the check needs a validation curve whose minimum is not at the end"
    stopped = Teacher.fit(ds.X_train, ds.y_train, ds.X_valid, ds.y_valid, task="regression", n_trees=300,
                          num_leaves=16, early_stopping_rounds=20)
    assert stopped.n_trees == best  # kept up to the best validation iteration
    # given the test split as validation data, it keeps another number of trees: the argument is what is read
    on_test = Teacher.fit(ds.X_train, ds.y_train, ds.X_test, ds.y_test, task="regression", n_trees=300,
                          num_leaves=16, early_stopping_rounds=20)
    test_curve = [np.mean((full.booster.predict(ds.X_test.to_numpy(), raw_score=True, num_iteration=i) - ds.y_test) ** 2)
                  for i in range(1, full.n_trees + 1)]
    assert on_test.n_trees == int(np.argmin(test_curve)) + 1 != best


def test_teacher_rejects_foreign_model_file(tmp_path, diabetes_teacher):
    _, teacher = diabetes_teacher
    teacher.save(tmp_path)
    (tmp_path / "teacher.txt").write_bytes(b"\x00\x01 not a model")
    with pytest.raises(ValueError, match="teacher.txt has 14 bytes"):
        Teacher.load(tmp_path)

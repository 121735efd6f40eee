"""The student exported as ONNX predicts what the estimator predicts, on the test rows of every bundled dataset."""
import json

import numpy as np
import onnxruntime
import pytest

from gbdt2nn.cli import main
from gbdt2nn.data import DATASETS, load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier, GBDT2NNRegressor

SMALL = {"n_trees": 30, "num_leaves": 16, "n_groups": 5, "features_per_group": 5, "embedding_dim": 4,
         "embedding_epochs": 1, "hidden_sizes": (16, 8), "student_epochs": 1, "student_min_steps": 0,
         "progress": False}


def fitted(name: str):
    "A small model of a bundled dataset (flights: 20,000 training rows) and the dataset."
    ds = load_dataset(name)
    estimator = GBDT2NNClassifier if ds.task == "binary" else GBDT2NNRegressor
    return estimator(**SMALL).fit(ds.X_train.iloc[:20_000], ds.y_train.iloc[:20_000], ds.X_valid, ds.y_valid), ds


@pytest.mark.parametrize("name", list(DATASETS))
def test_onnx_predictions_equal_the_estimator(tmp_path, name):
    model, ds = fitted(name)
    session = onnxruntime.InferenceSession(str(model.to_onnx(tmp_path / "student.onnx")))
    X = ds.X_test.copy()
    X.iloc[0, 0] = np.nan  # a missing value is filled as the estimator fills it
    outputs = dict(zip(json.loads(session.get_modelmeta().custom_metadata_map["outputs"]),
                       session.run(None, {"X": X.to_numpy(np.float32)})))
    np.testing.assert_allclose(outputs["raw_score"], model.raw_score(X), atol=1e-5 * max(1.0, np.abs(model.raw_score(X)).max()), rtol=0)
    if ds.task == "binary":
        np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(X), atol=1e-5, rtol=0)
        assert (model.classes_[outputs["label"]] == model.predict(X)).mean() > 0.9999
    else:
        np.testing.assert_allclose(outputs["prediction"], model.predict(X), atol=1e-5 * max(1.0, np.abs(model.predict(X)).max()), rtol=0)


def test_export_from_the_command_line(tmp_path, capsys):
    model, ds = fitted("breast_cancer")
    model.save(tmp_path / "model")
    assert main(["export", "--model", str(tmp_path / "model"), "--onnx", str(tmp_path / "student.onnx")]) == 0
    session = onnxruntime.InferenceSession(str(tmp_path / "student.onnx"))
    probabilities = session.run(["probabilities"], {"X": ds.X_test.to_numpy(np.float32)})[0]
    np.testing.assert_allclose(probabilities, model.predict_proba(ds.X_test), atol=1e-5, rtol=0)
    assert main(["export", "--model", str(tmp_path / "model"), "--onnx", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_explanations_from_the_command_line(tmp_path, capsys):
    model, ds = fitted("breast_cancer")
    model.save(tmp_path / "model")
    assert main(["export", "--model", str(tmp_path / "model"), "--onnx", str(tmp_path / "x.onnx"), "--explanations"]) == 0
    assert "exact Shapley values" in capsys.readouterr().out
    session = onnxruntime.InferenceSession(str(tmp_path / "x.onnx"))
    X = ds.X_test.iloc[:8].copy()
    X.iloc[0, 0] = np.nan  # filled in the graph as explain fills it
    values, base, raw = session.run(["shapley_values", "shapley_base_value", "raw_score"], {"X": X.to_numpy(np.float32)})
    explanation = model.explain(X, method="shapley")
    np.testing.assert_allclose(values, explanation.values, atol=1e-5, rtol=0)
    np.testing.assert_allclose(base, explanation.base_values, atol=1e-5, rtol=0)
    np.testing.assert_allclose(values.sum(1), raw - base, atol=1e-4, rtol=0)

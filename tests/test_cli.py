"""The command line end to end on a small dataset and on a messy user file, and its failure paths."""
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from gbdt2nn.agreement import HEADLINE_METRICS
from gbdt2nn.cli import main
from gbdt2nn.data import load_dataset
from gbdt2nn.estimators import GBDT2NNClassifier
from gbdt2nn.study import CHOSEN_WEIGHTS, GAMES, MAIN_JOB, QUICK, best_weight_table, run_name


def gbdt2nn(*args, cwd=None) -> subprocess.CompletedProcess:
    "Run the command line `gbdt2nn ARGS` in this process (its exit code, stdout and stderr, as a subprocess would give them)."
    argv = list(map(str, args))
    with contextlib.chdir(cwd or os.getcwd()), contextlib.redirect_stdout(io.StringIO()) as out, \
            contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(argv)
    return subprocess.CompletedProcess(["gbdt2nn", *argv], code, out.getvalue(), err.getvalue())


def entry_point(*args, cwd=None) -> subprocess.CompletedProcess:
    "Run `python -m gbdt2nn ARGS` as its own process; return the completed process."
    return subprocess.run([sys.executable, "-m", "gbdt2nn", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=900)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("study")
    done = gbdt2nn("run", "--dataset", "breast_cancer", "--quick", "--weights", "0,0.3,1", "--seeds", "2",
                   "--variants", "per_group,coalition", "--out", out)
    assert done.returncode == 0, done.stderr[-2000:]
    return out, done


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    "`gbdt2nn run --quick` with the default students: plain and each strategy at its chosen weight."
    out = tmp_path_factory.mktemp("default_run")
    done = gbdt2nn("run", "--dataset", "breast_cancer", "--quick", "--seeds", "2", "--out", out)
    assert done.returncode == 0, done.stderr[-2000:]
    return out, done


def test_run_writes_every_file(study):
    out, done = study
    for name in ("metrics.json", "runs.csv", "report.md", "against_weight.png", "beeswarm.png", "metric_vs_agreement.png",
                 "importance.png"):
        assert (out / name).stat().st_size > 0, name
    assert "teacher test auc" in done.stdout


def test_metrics_json_has_the_fields(study):
    out, _ = study
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("dataset", "task", "n_train", "n_valid", "n_test", "n_features", "metric", "teacher", "runs",
                "agreement_baseline", "speed"):
        assert key in metrics, key
    assert metrics["dataset"] == "breast_cancer" and metrics["metric"] == "auc"
    assert set(metrics["teacher"]) >= {"test", "train_seconds", "n_trees"}
    assert len(metrics["runs"]) == 2 + 2 * 2 * 2  # weight 0 once per seed, then each variant and weight
    run = metrics["runs"][0]
    figures = {f"{game}_{m}" for game in GAMES for m in HEADLINE_METRICS}
    assert set(run) >= {"variant", "weight", "seed", "test", "valid", "train_seconds", "fidelity", *figures,
                        *[f"valid_{f}" for f in figures], *[f"{f}_{side}" for f in figures for side in ("low", "high")]}
    assert all(r[f"{f}_low"] <= r[f] <= r[f"{f}_high"] for r in metrics["runs"] for f in figures)
    assert metrics["n_explained"] == min(metrics["settings"]["explain_rows"], metrics["n_test"])
    for key in ("agreement_baseline", "valid_agreement_baseline"):
        assert set(metrics[key]) == set(GAMES) and all(set(v) == set(HEADLINE_METRICS) for v in metrics[key].values())
    assert metrics["n_background"] == QUICK.n_background == MAIN_JOB.n_background  # --quick plays the default run's game
    assert metrics["speed"]["teacher_treeshap_rows_per_s"] > 0
    assert all(v > 0 for v in metrics["speed"]["student_rows_per_s"].values())
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == len(metrics["runs"])
    assert np.allclose(runs.test, [r["test"] for r in metrics["runs"]])


def test_saved_models_load_and_predict_as_recorded(study):
    out, _ = study
    ds = load_dataset("breast_cancer")
    metrics = json.loads((out / "metrics.json").read_text())
    record = metrics["runs"][0]
    model = GBDT2NNClassifier.load(out / "models" / run_name(record))
    from sklearn.metrics import roc_auc_score
    assert roc_auc_score(ds.y_test, model.decision_function(ds.X_test)) == pytest.approx(record["test"], abs=1e-9)


def test_best_model_is_chosen_on_validation_rows(study):
    out, _ = study
    runs = pd.read_csv(out / "runs.csv")
    report = (out / "report.md").read_text()
    assert "chosen on validation rows" in report
    metrics = json.loads((out / "metrics.json").read_text())
    table = best_weight_table(runs, metrics)
    headline = pd.DataFrame(metrics["headline"]).set_index("student")
    for variant in ("per_group", "coalition"):
        means = runs[runs.variant == variant].groupby("weight").valid_same_r2_all.mean()
        assert table.loc[f"best weight, {variant}", "weight"] == means.idxmax()
        assert headline.loc[variant, "weight"] == means.idxmax()
        chosen = runs[(runs.variant == variant) & (runs.weight == means.idxmax())]
        assert headline.loc[variant, "test"] == pytest.approx(chosen.test.mean())


def test_the_default_run_trains_deepgbm_and_the_default_recipe(default_run):
    "The plain student of `gbdt2nn run` is DeepGBM's recipe; its `explaining` student is the estimators' default recipe."
    from gbdt2nn.estimators import RECIPES
    out, _ = default_run
    for variant, recipe in (("plain_weight0", "deepgbm"), ("explaining_weight0.3", "explaining")):
        model = GBDT2NNClassifier.load(out / "models" / f"{variant}_seed0")
        assert {k: model.get_params()[k] for k in RECIPES[recipe] if k != "student_epochs"} == \
            {k: v for k, v in RECIPES[recipe].items() if k != "student_epochs"}  # --quick sets its own epochs
    assert GBDT2NNClassifier.load(out / "models" / "explaining_weight0.3_seed0").teacher_.feature_selection == "cover"


def test_the_default_run_trains_each_strategy_at_its_chosen_weight(default_run):
    out, done = default_run
    metrics = json.loads((out / "metrics.json").read_text())
    chosen = json.loads((out / "run.json").read_text())["weights"]
    assert chosen == {v: CHOSEN_WEIGHTS[v] for v in ("per_group", "explaining")}
    headline = pd.DataFrame(metrics["headline"]).set_index("student")
    assert list(headline.index) == ["teacher", "plain", "per_group", "explaining", "row-invariant baseline"]
    assert all(headline.loc[v, "weight"] == w for v, w in chosen.items()) and (headline.seeds.dropna() == 2).all()
    report = (out / "report.md").read_text()
    assert report.index("## Headline") < report.index("| plain") < report.index("![test metric against agreement")
    assert not (out / "against_weight.png").exists()  # no weights were swept
    assert "\nexplaining " in done.stdout and "± " in done.stdout  # the headline table, printed
    assert "small version of the default run" in report and "note: --quick is a small version" in done.stdout  # --quick says what it is



def test_quick_on_flights_tells_the_default_runs_story(tmp_path):
    "`gbdt2nn run --quick` on flights: the default recipe clears each game's row-invariant baseline, the plain student does not."
    done = gbdt2nn("run", "--quick", "--students", "explaining", "--out", tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    runs = pd.DataFrame(metrics["runs"]).set_index("variant")
    for game in GAMES:
        baseline = metrics["agreement_baseline"][game]
        for figure in ("spearman_abs", "feature_agreement"):
            assert runs.loc["explaining", f"{game}_{figure}_low"] > baseline[figure], (game, figure)
            assert runs.loc["plain", f"{game}_{figure}"] < baseline[figure], (game, figure)
    assert "on flights the default recipe clears each game's row-invariant baseline" in done.stdout

def test_explain_writes_the_csv(study, tmp_path):
    out, _ = study
    ds = load_dataset("breast_cancer")
    rows = tmp_path / "rows.csv"
    ds.X_test.iloc[:7].to_csv(rows, index=False)
    model_dir = next((out / "models").iterdir())
    done = gbdt2nn("explain", "--model", model_dir, "--data", rows, "--out", tmp_path / "phi.csv", "--method", "grad_input")
    assert done.returncode == 0, done.stderr
    phi = pd.read_csv(tmp_path / "phi.csv")
    assert list(phi.columns) == ds.feature_names + ["base_value", "raw_score"] and len(phi) == 7


def test_datasets_lists_every_bundled_dataset():
    done = gbdt2nn("datasets")
    assert done.returncode == 0
    for name in ("flights", "diamonds", "breast_cancer", "diabetes", "synthetic_additive"):
        assert name in done.stdout


@pytest.mark.parametrize("args, message", [
    (["run", "--data", "missing.csv", "--target", "y", "--out", "o"], "does not exist"),
    (["run", "--data", "{table}", "--target", "nope", "--out", "o"], "target column 'nope'"),
    (["run", "--dataset", "nope", "--out", "o"], "unknown dataset"),
    (["run", "--dataset", "diabetes", "--lambdas", "0,x", "--out", "o"], "--weights"),
    (["run", "--dataset", "diabetes", "--weights", "-1", "--out", "o"], ">= 0"),
    (["run", "--dataset", "diabetes", "--variants", "local", "--out", "o"], "--variants"),
    (["run", "--dataset", "diabetes"], "--out"),
    (["run", "--data", "{table}", "--out", "o"], "--target"),
    (["explain", "--model", "nowhere", "--data", "x.csv", "--out", "y.csv"], "not a saved gbdt2nn model"),
    (["fly"], "invalid choice"),
    (["run", "--data", "{table}", "--target", "y", "--out", "o"], "20 rows: too few"),
    (["run", "--data", "{three}", "--target", "y", "--out", "o"], "--task regression"),
    (["run", "--data", "{empty}", "--target", "y", "--out", "o"], "empty.csv' is empty"),
    (["run", "--data", "{constant}", "--target", "y", "--out", "o"], "is constant (1)"),
    (["run", "--data", "{infinite}", "--target", "y", "--out", "o"], "target column 'y' has infinite values"),
    (["run", "--dataset", "diabetes", "--out", "{table}"], "is a file"),
    (["explain", "--model", "nowhere", "--data", "{table}", "--out", "."], "is a folder"),
    (["select", "--out", "o", "--datasets", "diabetes,nope"], "unknown: ['nope']"),
    (["select", "--out", "o", "--seeds", "0,x"], "--seeds must be comma-separated integers"),
    (["select", "--out", "o", "--rows", "-5"], "--rows must be"),
    (["select", "--out", "o", "--table-only"], "holds no finished dataset"),
    (["select", "--out", "o", "--draws", "-1"], "--draws must be"),
    (["select", "--out", "o", "--candidates", "mu5_nu5"], "unknown candidates"),
    (["select", "--out", "o", "--min-valid-rows", "-1"], "--min-valid-rows must be"),
    (["select", "--out", "o", "--n-boot", "5"], "--n-boot must be at least 20"),
])
def test_user_errors_give_one_line_and_exit_code_2(tmp_path, monkeypatch, capsys, args, message):
    "Each mistake, through `main` in this process (the entry point itself is checked once below)."
    table = tmp_path / "table.csv"
    pd.DataFrame({"a": np.arange(20.0), "y": np.arange(20) % 2}).to_csv(table, index=False)
    pd.DataFrame({"a": np.arange(90.0), "y": np.arange(90) % 3}).to_csv(tmp_path / "three.csv", index=False)
    (tmp_path / "empty.csv").write_text("")
    pd.DataFrame({"a": np.arange(90.0), "y": 1}).to_csv(tmp_path / "constant.csv", index=False)
    pd.DataFrame({"a": np.arange(90.0), "y": [0.5, np.inf] * 45}).to_csv(tmp_path / "infinite.csv", index=False)
    files = {"{table}": table, "{three}": tmp_path / "three.csv", "{empty}": tmp_path / "empty.csv",
             "{constant}": tmp_path / "constant.csv", "{infinite}": tmp_path / "infinite.csv"}
    monkeypatch.chdir(tmp_path)
    assert main([str(files.get(a, a)) for a in args]) == 2
    stderr = capsys.readouterr().err
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert not (tmp_path / "o" / "metrics.json").exists()


def test_the_entry_point_reports_a_mistake_in_one_line(tmp_path):
    done = entry_point("run", "--dataset", "nope", "--out", "o", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gbdt2nn: error: unknown dataset 'nope'"), lines


def test_explain_reports_missing_columns(study, tmp_path):
    out, _ = study
    rows = tmp_path / "rows.csv"
    pd.DataFrame({"mean_radius": [1.0]}).to_csv(rows, index=False)
    done = gbdt2nn("explain", "--model", next((out / "models").iterdir()), "--data", rows, "--out", tmp_path / "p.csv")
    assert done.returncode == 2 and "lacks the model's feature columns" in done.stderr


def test_explain_refuses_text_in_a_numeric_column(study, tmp_path):
    out, _ = study
    rows = load_dataset("breast_cancer").X_test.iloc[:3].astype(object)
    rows.iloc[0, 0] = "high"
    rows.to_csv(tmp_path / "rows.csv", index=False)
    done = gbdt2nn("explain", "--model", next((out / "models").iterdir()), "--data", tmp_path / "rows.csv",
                   "--out", tmp_path / "p.csv")
    assert done.returncode == 2 and "hold text" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_run_refuses_a_folder_that_holds_a_run(study):
    out, _ = study
    done = gbdt2nn("run", "--dataset", "diabetes", "--quick", "--out", out)
    assert done.returncode == 2 and "already holds a run of another command (it differs in dataset" in done.stderr


def test_an_interrupted_run_continues_to_the_same_results(study, tmp_path):
    "Killed after two students (as a power cut would), the same command finishes the run with the uninterrupted results."
    out = tmp_path / "run"
    command = ["run", "--dataset", "breast_cancer", "--quick", "--weights", "0,0.3,1", "--seeds", "2",
               "--variants", "per_group,coalition", "--out", str(out)]  # the study fixture's command
    process = subprocess.Popen([sys.executable, "-m", "gbdt2nn", *command], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while len(list((out / "runs").glob("*.json"))) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    process.kill()
    process.wait()
    recorded = len(list((out / "runs").glob("*.json")))
    assert 2 <= recorded < 10 and not (out / "metrics.json").exists()
    done = gbdt2nn(*command)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"resuming: {recorded} students of this run are finished" in done.stdout
    expected, resumed = pd.read_csv(study[0] / "runs.csv"), pd.read_csv(out / "runs.csv")
    timing = [c for c in expected.columns if "seconds" in c or "per_s" in c]
    pd.testing.assert_frame_equal(resumed.drop(columns=timing), expected.drop(columns=timing))
    assert json.loads((out / "metrics.json").read_text())["teacher"]["test"] == \
        json.loads((study[0] / "metrics.json").read_text())["teacher"]["test"]


def test_files_respect_the_umask(study):
    out, _ = study
    expected = 0o666 & ~_umask()
    model = next((out / "models").iterdir())
    for path in (out / "metrics.json", out / "report.md", out / "beeswarm.png", model / "tensors.pt", model / "manifest.json"):
        assert path.stat().st_mode & 0o777 == expected, path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("damage", ["truncate 0.1", "truncate 0.5", "truncate 0.99", "edit estimator.json",
                                    "tensors from a sibling", "no manifest"])
def test_explain_refuses_a_damaged_model_folder(study, tmp_path, damage):
    out, _ = study
    models = sorted((out / "models").iterdir())
    folder = tmp_path / "model"
    shutil.copytree(models[0], folder)
    if damage.startswith("truncate"):
        text = (folder / "teacher.txt").read_bytes()
        (folder / "teacher.txt").write_bytes(text[: int(float(damage.split()[1]) * len(text))])
        expected = "teacher.txt has"
    elif damage == "edit estimator.json":
        config = (folder / "estimator.json").read_text()
        (folder / "estimator.json").write_text(config.replace('"format"', '"formaT"', 1))
        expected = "estimator.json differs"
    elif damage == "tensors from a sibling":
        shutil.copy(models[-1] / "tensors.pt", folder / "tensors.pt")
        expected = "tensors.pt"
    else:
        (folder / "manifest.json").unlink()
        expected = "did not finish"
    rows = tmp_path / "rows.csv"
    load_dataset("breast_cancer").X_test.iloc[:3].to_csv(rows, index=False)
    done = gbdt2nn("explain", "--model", folder, "--data", rows, "--out", tmp_path / "phi.csv")
    assert done.returncode == 2, (done.returncode, done.stderr)  # never a crash inside LightGBM or torch
    assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "phi.csv").exists()


def messy_table(n: int, seed: int = 0) -> pd.DataFrame:
    "A table as users write them: JSON's special characters in names, an identifier, dates, text levels."
    rng = np.random.default_rng(seed)
    price, kind = rng.normal(size=n), rng.choice(["a", "b", "c"], n)
    when = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 24, n), unit="h")
    logit = 2 * price + (kind == "b") - 0.5 + (when.hour >= 12)
    return pd.DataFrame({"price: EUR, [net]": price, 'kind "quoted" {x}': kind, "order_id": [f"o{i:05d}" for i in range(n)],
                         "when": when.strftime("%Y-%m-%d %H:%M"),
                         "y": np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "late", "early")})


@pytest.fixture(scope="module")
def messy_run(tmp_path_factory):
    "`gbdt2nn run --quick` on a messy user file with a text target."
    folder = tmp_path_factory.mktemp("messy")
    data = folder / "sales.csv"
    messy_table(400).to_csv(data, sep=";")  # with pandas' default index column, ;-separated
    out = folder / "run"
    done = gbdt2nn("run", "--data", data, "--target", "y", "--quick", "--weights", "0,1", "--seeds", "1",
                   "--variants", "coalition", "--out", out)
    assert done.returncode == 0, done.stderr[-2000:]
    return out, done


def test_a_messy_user_file_runs_and_explains(messy_run, tmp_path):
    out, done = messy_run
    for note in ("'Unnamed: 0' holds the row numbers", "task guessed: binary", "'order_id' has a different value",
                 "'when' holds dates"):
        assert note in done.stdout and note in (out / "report.md").read_text(), note
    model_dir = next((out / "models").iterdir())
    model = GBDT2NNClassifier.load(model_dir)
    assert model.encoding_["dates"] == ["when"] and model.encoding_["categories"]['kind "quoted" {x}'] == ["a", "b", "c"]
    new = messy_table(5, seed=1).drop(columns=["y"])
    new.loc[0, 'kind "quoted" {x}'] = "unseen"
    rows = tmp_path / "new.csv"
    new.to_csv(rows, index=False)
    explained = gbdt2nn("explain", "--model", model_dir, "--data", rows, "--out", tmp_path / "phi.csv", "--method", "grad_input")
    assert explained.returncode == 0, explained.stderr
    assert "1 values of 'kind \"quoted\" {x}' were not seen in training" in explained.stdout
    phi = pd.read_csv(tmp_path / "phi.csv")
    assert list(phi.columns) == list(model.feature_names_in_) + ["base_value", "raw_score"]
    assert "price: EUR, [net]" in phi.columns and "when_hour" in phi.columns and len(phi) == 5


def test_update_continues_a_user_model_as_partial_fit_does(messy_run, tmp_path, capsys):
    "`gbdt2nn update` on a file with text labels: the same student as partial_fit on those rows, in a new folder."
    from gbdt2nn.data import encode_frame
    from gbdt2nn.io import verify_manifest
    model_dir = next((messy_run[0] / "models").iterdir())
    model = GBDT2NNClassifier.load(model_dir)
    assert model.encoding_["target_levels"] == ["early", "late"]
    month = messy_table(150, seed=2)
    month.to_csv(tmp_path / "month.csv", index=False)
    before = (model_dir / "tensors.pt").read_bytes()
    done = gbdt2nn("update", "--model", model_dir, "--data", tmp_path / "month.csv", "--target", "y", "--epochs", "2",
                   "--out", tmp_path / "updated")
    assert done.returncode == 0, done.stderr
    assert "update 0: 150 rows" in done.stdout
    assert (model_dir / "tensors.pt").read_bytes() == before and verify_manifest(model_dir)  # the saved model is kept
    updated = GBDT2NNClassifier.load(tmp_path / "updated")
    X = encode_frame(month.drop(columns=["y"]), model.encoding_)[list(model.feature_names_in_)]
    expected = model.set_params(online_epochs=2).partial_fit(X, (month.y == "late").to_numpy(float))
    np.testing.assert_array_equal(updated.decision_function(X), expected.decision_function(X))
    assert not np.allclose(updated.decision_function(X), GBDT2NNClassifier.load(model_dir).decision_function(X))
    assert updated.online_history_ == expected.online_history_
    # a second update continues from the first (its optimizer state is in the folder)
    again = gbdt2nn("update", "--model", tmp_path / "updated", "--data", tmp_path / "month.csv", "--target", "y",
                    "--out", tmp_path / "twice")
    assert again.returncode == 0 and "update 1: 150 rows" in again.stdout, again.stderr
    month.loc[3, "y"] = "maybe"
    month.to_csv(tmp_path / "bad.csv", index=False)
    for args, message in [(("--data", tmp_path / "bad.csv", "--target", "y", "--out", tmp_path / "u1"), "values outside"),
                          (("--data", tmp_path / "month.csv", "--target", "label", "--out", tmp_path / "u2"), "no target column"),
                          (("--data", tmp_path / "month.csv", "--target", "y", "--out", tmp_path / "updated"), "not an empty folder"),
                          (("--data", tmp_path / "month.csv", "--target", "y", "--lr", "-1", "--out", tmp_path / "u3"), "online_lr must be")]:
        assert main(["update", "--model", str(model_dir), *map(str, args)]) == 2
        stderr = capsys.readouterr().err
        assert message in stderr and len(stderr.strip().splitlines()) == 1, (message, stderr)


@pytest.fixture(scope="module")
def multiclass_run(tmp_path_factory):
    "`gbdt2nn run --quick` on a three-class target with the default students."
    out = tmp_path_factory.mktemp("multiclass_run")
    done = gbdt2nn("run", "--dataset", "synthetic_multiclass", "--quick", "--rows", "5000", "--seeds", "1", "--out", out)
    assert done.returncode == 0, done.stderr[-2000:]
    return out, done


def test_a_multiclass_run_reports_macro_agreement_and_explains_per_class(multiclass_run, tmp_path):
    out, _ = multiclass_run
    metrics = json.loads((out / "metrics.json").read_text())
    assert (metrics["task"], metrics["metric"]) == ("multiclass", "logloss")
    runs = pd.read_csv(out / "runs.csv")
    assert sorted(runs.variant.unique()) == ["explaining", "per_group", "plain"]
    for game in GAMES:  # the macro figure is the mean of the class figures
        classes = runs[[f"{game}_r2_all_class{c}" for c in range(3)]].mean(axis=1)
        assert np.allclose(runs[f"{game}_r2_all"], classes, atol=1e-9)
    for figure in ("importance.png", "beeswarm.png", "report.md"):
        assert (out / figure).stat().st_size > 0
    model_folder = out / "models" / run_name(runs.iloc[0])
    rows = load_dataset("synthetic_multiclass").X_test.iloc[:5]
    rows.to_csv(tmp_path / "rows.csv", index=False)
    done = gbdt2nn("explain", "--model", model_folder, "--data", tmp_path / "rows.csv", "--out", tmp_path / "phi.csv",
                   "--method", "shapley")
    assert done.returncode == 0, done.stderr[-2000:]
    phi = pd.read_csv(tmp_path / "phi.csv")
    model = GBDT2NNClassifier.load(model_folder)
    raw = model.decision_function(rows)
    for c in range(3):  # each class block sums to its logit
        block = phi[[f"x{j} [{c}]" for j in range(8)]].to_numpy().sum(1) + phi[f"base_value [{c}]"]
        assert np.allclose(block, raw[:, c], atol=1e-3)


def test_a_cluster_run_writes_a_model_that_explains(tmp_path):
    ds = load_dataset("breast_cancer")
    data = tmp_path / "data"
    data.mkdir()
    table = pd.concat([ds.X_train, ds.X_test]).assign(malignant=np.concatenate([ds.y_train, ds.y_test]))
    for i, part in enumerate(np.array_split(np.arange(len(table)), 3)):
        table.iloc[part].to_parquet(data / f"part.{i}.parquet", index=False)
    out = tmp_path / "run"
    done = gbdt2nn("run", "--dask", "local:2", "--data", data, "--target", "malignant", "--task", "binary", "--quick", "--out", out)
    assert done.returncode == 0, done.stderr[-3000:]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["world"] == 2 and metrics["metric"] == "auc"
    assert metrics["teacher"]["test"] > 0.9 and metrics["student"]["test"] > 0.9
    assert sum(len(pd.read_parquet(out / "data" / split)) for split in ("train", "valid", "test")) == len(table)
    explained = gbdt2nn("explain", "--model", out / "model", "--data", data / "part.0.parquet", "--out", tmp_path / "phi.csv")
    assert explained.returncode == 0, explained.stderr[-2000:]
    assert len(pd.read_csv(tmp_path / "phi.csv")) == len(pd.read_parquet(data / "part.0.parquet"))
    # the same folder again is refused; --overwrite runs it afresh
    again = gbdt2nn("run", "--dask", "local:1", "--data", data, "--target", "malignant", "--task", "binary", "--out", out)
    assert again.returncode == 2 and "already holds a finished run" in again.stderr


def tiny_selection():
    "The selection's settings at a size that runs in seconds."
    from dataclasses import replace

    from gbdt2nn.selection import RECIPE_BASE, SELECTION
    return replace(SELECTION, estimator={**RECIPE_BASE, "n_trees": 20, "num_leaves": 8, "n_groups": 3,
                                         "features_per_group": 3, "embedding_dim": 4, "hidden_sizes": (8,),
                                         "student_epochs": 2, "student_min_steps": 0, "student_batch_size": 64,
                                         "coalition_rows": 16, "input_bins": 4},
                   max_train_rows=None, explain_rows=20, valid_rows=20, n_background=4)


def test_select_tables_and_chooses_from_finished_students(tmp_path):
    "`gbdt2nn select --table-only` over a small selection: a row per dataset and candidate, and a choice from the grid, written and printed."
    from gbdt2nn.selection import run_selection
    tiny = tiny_selection()
    run_selection(tmp_path, ("diabetes",), (0,), tiny, progress=False)
    done = gbdt2nn("select", "--out", tmp_path, "--datasets", "diabetes", "--table-only")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "table.csv")
    assert sorted(table.candidate) == ["mu0.1_nu0", "mu0.1_nu1", "mu0.3_nu0", "mu0.3_nu1", "reference"]
    assert (table.valid_gain_low <= table.valid_gain_high).all()
    choice = json.loads((tmp_path / "choice.json").read_text())
    assert choice["chosen"] in set(table.candidate) - {"reference"} and choice["n_tried"] == 4
    assert f"chosen: {choice['chosen']}" in done.stdout and "unfinished" not in done.stdout
    assert choice["min_valid_rows"] == 0 and choice["not_judged"] == []
    assert choice["drop_invalid"] is False and choice["n_boot"] == 200
    few = gbdt2nn("select", "--out", tmp_path, "--datasets", "diabetes", "--table-only", "--min-valid-rows", "1000")
    assert few.returncode == 0, few.stderr
    assert (pd.read_csv(tmp_path / "table.csv").n_valid == 44).all()  # diabetes' validation split
    choice = json.loads((tmp_path / "choice.json").read_text())
    assert choice["not_judged"] == ["diabetes"] and all(r["inferior"] == 0 for r in choice["ranking"])
    assert "judged where a dataset has at least 1,000 validation rows" in few.stdout
    partial = gbdt2nn("select", "--out", tmp_path, "--datasets", "diabetes", "--seeds", "0,1", "--table-only")
    assert partial.returncode == 0, partial.stderr
    assert "unfinished (other processes, or failed): " in partial.stdout
    assert all(f"diabetes {c}: 1 of 2 seeds" in partial.stdout for c in set(table.candidate))
    run_selection(tmp_path / "saved", ("diabetes",), (0,), tiny, progress=False, candidates=["mu0.1_nu1"], save_models=True)
    done = gbdt2nn("select", "--out", tmp_path / "saved", "--datasets", "diabetes", "--table-only", "--draws", "2")
    assert done.returncode == 0, done.stderr
    draws = pd.read_csv(tmp_path / "saved" / "draws.csv")
    assert sorted(set(draws.candidate)) == ["mu0.1_nu1", "reference"] and sorted(set(draws.draw)) == [0, 1]
    assert "over 2 background draws" in done.stdout


def test_select_drop_invalid_judges_the_rows_it_trained_on(tmp_path):
    "A selection trained without diamonds' inconsistent records is tabled on the same rows with --drop-invalid, and refused without it."
    from dataclasses import replace

    from gbdt2nn.data import load_without_invalid
    from gbdt2nn.selection import run_selection
    run_selection(tmp_path, ("diamonds",), (0,), replace(tiny_selection(), max_train_rows=2000), progress=False,
                  load=load_without_invalid, candidates=["mu0.1_nu1"])
    done = gbdt2nn("select", "--out", tmp_path, "--datasets", "diamonds", "--table-only", "--drop-invalid",
                   "--n-boot", "50")
    assert done.returncode == 0, done.stderr
    assert (pd.read_csv(tmp_path / "table.csv").n_valid == 5394 - 5).all()  # diamonds' 5 inconsistent validation records
    choice = json.loads((tmp_path / "choice.json").read_text())
    assert choice["drop_invalid"] is True and choice["n_boot"] == 50
    mixed = gbdt2nn("select", "--out", tmp_path, "--datasets", "diamonds", "--table-only")
    assert mixed.returncode == 2 and "with --drop-invalid if the run had it" in mixed.stderr

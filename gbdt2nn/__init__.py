"""gbdt2nn: distil LightGBM into GBDT2NN students, explain both, teach the student its teacher's explanations."""
__version__ = "0.2.1"

from .data import list_datasets, load_dataset
from .estimators import GBDT2NNClassifier, GBDT2NNRegressor
from .teacher import Teacher

__all__ = ["GBDT2NNClassifier", "GBDT2NNRegressor", "Teacher", "load_dataset", "list_datasets"]

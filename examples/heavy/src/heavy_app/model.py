"""The classifier: scikit-learn scaling, then the bundled ONNX model through ONNX Runtime."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np
import onnxruntime as ort
from scipy.special import softmax
from sklearn.preprocessing import StandardScaler


def _data(name: str) -> bytes:
    return resources.files("heavy_app").joinpath("data", name).read_bytes()


@lru_cache(maxsize=1)
def _model() -> tuple[StandardScaler, ort.InferenceSession, list[str]]:
    reference = json.loads(_data("samples.json"))
    scaler = StandardScaler().fit(np.asarray(reference["samples"], dtype=np.float32))
    session = ort.InferenceSession(_data("classifier.onnx"), providers=["CPUExecutionProvider"])
    return scaler, session, list(reference["labels"])


def classify(features: list[float]) -> tuple[str, float]:
    """The most likely label of four measurements, and its probability."""
    scaler, session, labels = _model()
    x = scaler.transform(np.asarray([features], dtype=np.float32)).astype(np.float32)
    (scores,) = session.run(["scores"], {"features": x})
    # The model ends in Softmax: its scores are probabilities. SciPy's softmax of the same logits must agree.
    best = int(np.argmax(scores[0]))
    probability = float(scores[0][best])
    if not np.isclose(softmax(np.log(scores[0]))[best], probability, atol=1e-5):
        raise RuntimeError("ONNX Runtime and SciPy disagree")
    return labels[best], probability

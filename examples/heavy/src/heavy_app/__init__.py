"""A heavy sample project: scikit-learn preprocessing, an ONNX model, a FastAPI server."""

__version__ = "1.0.0"

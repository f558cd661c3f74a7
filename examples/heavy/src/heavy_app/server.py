"""heavy-serve: the classifier over HTTP (FastAPI on uvicorn)."""

from __future__ import annotations

import argparse
import sys

from heavy_app import __version__


def create_app():
    from fastapi import FastAPI
    from pydantic import BaseModel, Field

    from heavy_app.model import classify

    class Measurements(BaseModel):
        features: list[float] = Field(min_length=4, max_length=4)

    class Prediction(BaseModel):
        label: str
        probability: float

    app = FastAPI(title="heavy-app", version=__version__)

    @app.post("/predict", response_model=Prediction)
    def predict(body: Measurements) -> Prediction:
        label, probability = classify(body.features)
        return Prediction(label=label, probability=probability)

    return app, Measurements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="heavy-serve", description="Serve the bundled classifier over HTTP.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--check", action="store_true", help="build the app, validate a request, print the routes, and exit")
    args = parser.parse_args(argv)
    app, measurements = create_app()
    if args.check:
        measurements.model_validate({"features": [5.1, 3.5, 1.4, 0.2]})
        for route in app.routes:
            print(f"{','.join(sorted(getattr(route, 'methods', None) or []))} {route.path}")
        return 0
    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

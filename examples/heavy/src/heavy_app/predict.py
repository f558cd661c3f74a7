"""heavy-predict: classify four measurements from the command line."""

from __future__ import annotations

import argparse
import sys

from heavy_app import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="heavy-predict", description="Classify four measurements with the bundled model.")
    parser.add_argument("features", nargs=4, type=float, metavar="X", help="sepal length, sepal width, petal length, petal width")
    parser.add_argument("--version", action="version", version=f"heavy-predict {__version__}")
    args = parser.parse_args(argv)
    from heavy_app.model import classify

    label, probability = classify(args.features)
    print(f"{label} {probability:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

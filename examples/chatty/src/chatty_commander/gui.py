"""Tiny Tk window listing the commands. tkinter is imported lazily."""

from __future__ import annotations

import argparse
from typing import List, Optional

from chatty_commander.config import describe, load_commands


def main(argv: Optional[List[str]] = None) -> int:
    """Open the window. `chatty-gui --help` answers without opening it."""
    parser = argparse.ArgumentParser(prog="chatty-gui", description="Open the ChattyCommander window (needs tkinter).")
    parser.parse_args(argv)

    import tkinter as tk  # lazy: `--help` must not need tkinter

    root = tk.Tk()
    root.title("ChattyCommander")
    output = tk.StringVar(value="Pick a command")
    for name, command in load_commands().items():
        text = describe(name, command)
        tk.Button(
            root, text=name, width=30, command=lambda t=text: output.set(t)
        ).pack(padx=8, pady=2)
    tk.Label(root, textvariable=output).pack(padx=8, pady=8)
    root.mainloop()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

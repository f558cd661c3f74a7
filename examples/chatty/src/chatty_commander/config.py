"""Load the command table shipped as package data.

``importlib.resources.files`` works for an installed package and inside a
PyInstaller bundle (PyInstaller >= 5 provides a resource reader for its
frozen importer, and the data file is collected next to the package).
A path relative to ``__file__`` is tried as a fallback.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from typing import Any, Dict

DATA_RELPATH = ("data", "commands.json")


def _read_text() -> str:
    try:
        ref = resources.files("chatty_commander").joinpath(*DATA_RELPATH)
        return ref.read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, TypeError, AttributeError, OSError):
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, *DATA_RELPATH), encoding="utf-8") as fh:
            return fh.read()


def load_commands() -> Dict[str, Dict[str, Any]]:
    """Return the mapping of command name -> command definition."""
    data = json.loads(_read_text())
    commands = data.get("commands", {})
    if not isinstance(commands, dict):
        raise ValueError("commands.json: 'commands' must be an object")
    return commands


def describe(name: str, command: Dict[str, Any]) -> str:
    """Human readable description of what a command does."""
    action = command.get("action", "?")
    if action == "say":
        return f"say {command.get('text', '')!r}"
    if action == "http":
        return f"HTTP GET {command.get('url', '')}"
    if action == "open_url":
        return f"open {command.get('url', '')} in the browser"
    if action == "keypress":
        return f"press {command.get('keys', '')}"
    return f"{action} {name}"

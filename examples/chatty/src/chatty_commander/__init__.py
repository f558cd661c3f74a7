"""ChattyCommander sample: run named voice commands from a CLI, GUI or web API."""

__version__ = "0.3.1"

"""facilitate: run a live group workshop from a laptop hooked to a projector."""

# The one place the version is written: pyproject.toml reads it from here (hatch's dynamic version), and
# `facilitate --version` needs no importlib.metadata at start-up (about 25 ms).
__version__ = "0.1.0"

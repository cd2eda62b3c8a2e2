"""facilitate: run a live group workshop from a laptop hooked to a projector."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("facilitate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

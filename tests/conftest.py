"""Shared fixtures: every test gets its own data directory, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WORKSHOPS = REPO / "workshops"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("FACILITATE_DATA_DIR", str(data_dir))
    return data_dir

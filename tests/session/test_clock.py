"""Clocks: the fake one for tests, the system one immune to wall-clock jumps, the fast one for rehearsals."""

from __future__ import annotations

import pytest

from facilitate.session.clock import FakeClock, ScaledClock, SystemClock


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(100.0)
    assert clock.now() == 100.0
    clock.advance(2.5)
    assert clock.now() == 102.5
    clock.set(50)
    assert clock.now() == 50.0


def test_fake_clock_has_a_realistic_default_start() -> None:
    assert FakeClock().now() == 1_764_000_000.0


def test_system_clock_ignores_a_wall_clock_jump_mid_session() -> None:
    wall = [1_000.0]
    mono = [5.0]
    clock = SystemClock(wall=lambda: wall[0], monotonic=lambda: mono[0])
    assert clock.now() == 1_000.0
    wall[0] = 1_000.0 + 3600  # NTP or a person moved the system clock by an hour
    mono[0] = 15.0
    assert clock.now() == 1_010.0


def test_system_clock_reads_real_time() -> None:
    clock = SystemClock()
    first = clock.now()
    assert clock.now() >= first > 1_600_000_000


def test_scaled_clock_runs_faster_from_its_creation() -> None:
    base = FakeClock(1_000.0)
    fast = ScaledClock(base, 10)
    assert fast.now() == 1_000.0
    base.advance(6)
    assert fast.now() == 1_060.0


def test_scaled_clock_refuses_a_speed_of_zero() -> None:
    with pytest.raises(ValueError, match="above zero"):
        ScaledClock(FakeClock(), 0)

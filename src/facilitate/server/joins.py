"""Joins the facilitator can trust: how many phones may join without a yes, and how fast.

A script on the room's Wi-Fi could otherwise make hundreds of "phones" (a GET without a cookie each)
and outvote the room, or meet a poll's threshold with one real answer and four fakes. Three guards:

- **Room size.** The facilitator says how many people are in the room (`--room-size N`, or on the join
  screen). Up to that number plus a small margin, phones join at once; beyond it, each new phone waits
  on a "please wait" page until the facilitator lets the waiting ones in.
- **Per network address.** At most `PER_ADDRESS` new phones from one address in `ADDRESS_WINDOW`
  seconds. Addresses are kept in memory only, for that window, and never written anywhere. Off behind
  `--public-url` (a proxy or hotspot where every phone shares one address) and for this laptop itself
  (rehearsals, `--demo-room`).
- **Bursts.** Many joins within a couple of seconds are shown to the facilitator as a warning
  ("12 phones joined in 2 s"): a room scanning a QR code does not join that fast.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

PER_ADDRESS = 3  # a phone whose cookie was lost, a second browser: a few, never dozens
ADDRESS_WINDOW = 600.0
MAX_WAITING = 500  # phones waiting for a yes, at most (each is a few bytes in memory)
WAITING_FOR = 3600.0  # a waiting phone that never came back is forgotten after this
BURST_WINDOW = 2.0
BURST_JOINS = 10
PRUNE_EVERY = 5.0  # seconds between sweeps of addresses past their window

Decision = Literal["join", "wait", "too_many_from_address", "full"]


def margin(room_size: int) -> int:
    """Phones beyond the room size that still join without a yes: a spare phone, a late arrival."""
    return max(2, math.ceil(room_size * 0.1))


@dataclass
class JoinGate:
    room_size: int | None = None
    per_address: bool = True  # False behind --public-url: every phone arrives from the proxy
    exempt_loopback: bool = True  # the laptop itself (rehearsals) is never limited by address
    clock: Callable[[], float] = time.monotonic
    _by_address: dict[str, deque[float]] = field(default_factory=dict)
    _waiting: dict[str, float] = field(default_factory=dict)  # token -> since (memory only)
    _let_in: set[str] = field(default_factory=set)
    _joins: deque[float] = field(default_factory=lambda: deque(maxlen=4 * BURST_JOINS))
    burst: str | None = None  # the latest burst warning, for the join screen
    _burst_news: list[str] = field(default_factory=list)
    _pruned_at: float = float("-inf")

    @property
    def limit(self) -> int | None:
        """How many phones may join without the facilitator's yes (None: no room size given yet)."""
        return None if self.room_size is None else self.room_size + margin(self.room_size)

    @property
    def waiting(self) -> int:
        self._forget_old()
        return len(self._waiting) - len(self._let_in)

    def decide(self, address: str | None, joined: int) -> Decision:
        """What to do with a phone that has no device yet (a GET of the page without a cookie)."""
        now = self.clock()
        if not self._address_allows(address, now):
            return "too_many_from_address"
        limit = self.limit
        if limit is not None and joined + len(self._let_in) >= limit:
            self._forget_old()
            return "wait" if len(self._waiting) < MAX_WAITING else "full"
        return "join"

    def note_new_device(self, address: str | None) -> None:
        """A phone became a device (or a waiting one): counted for its address and for bursts."""
        now = self.clock()
        if self._address_counts(address):
            self._by_address.setdefault(str(address), deque()).append(now)
        self._joins.append(now)
        recent = sum(1 for at in self._joins if now - at <= BURST_WINDOW)
        if recent >= BURST_JOINS:
            seconds = max(1, round(now - next(at for at in self._joins if now - at <= BURST_WINDOW)))
            self.burst = f"{recent} phones joined in {seconds} s"
            if recent == BURST_JOINS or recent % BURST_JOINS == 0:
                self._burst_news.append(self.burst)

    def wait(self, address: str | None) -> str:
        """A new waiting phone: its token (for its cookie), kept in memory until let in or forgotten."""
        token = secrets.token_urlsafe(16)
        self._waiting[token] = self.clock()
        self.note_new_device(address)
        return token

    def is_waiting(self, token: str | None) -> bool:
        return token is not None and token in self._waiting

    def was_let_in(self, token: str) -> bool:
        return token in self._let_in

    def joined_from_waiting(self, token: str) -> None:
        self._waiting.pop(token, None)
        self._let_in.discard(token)

    def let_in(self) -> int:
        """The facilitator's yes: every phone waiting now may join. Returns how many."""
        self._forget_old()
        newly = set(self._waiting) - self._let_in
        self._let_in |= newly
        return len(newly)

    def news(self) -> list[str]:
        """Burst warnings not yet shown to the facilitator (each once)."""
        news, self._burst_news = self._burst_news, []
        return news

    def _address_counts(self, address: str | None) -> bool:
        if not self.per_address or not address:
            return False
        if self.exempt_loopback:
            try:
                return not ipaddress.ip_address(address).is_loopback
            except ValueError:
                return True
        return True

    def _address_allows(self, address: str | None, now: float) -> bool:
        if not self._address_counts(address):
            return True
        if now - self._pruned_at > PRUNE_EVERY:  # at most every few seconds: a room joins in a burst
            self._pruned_at = now
            stale = [key for key, times in self._by_address.items() if now - times[-1] > ADDRESS_WINDOW]
            for key in stale:
                del self._by_address[key]  # nothing about an address outlives its window (and a little)
        times = self._by_address.get(str(address))
        if times is None:
            return True
        while times and now - times[0] > ADDRESS_WINDOW:
            times.popleft()
        return len(times) < PER_ADDRESS

    def _forget_old(self) -> None:
        now = self.clock()
        for token in [token for token, since in self._waiting.items() if now - since > WAITING_FOR]:
            del self._waiting[token]
            self._let_in.discard(token)

"""What an emulator is built from, and the faults it can be told to inject."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import datetime

#: Entry of ``Faults.fail_next`` that answers a proxy's HTML error page.
HTML_FAILURE = "html"


@dataclass(frozen=True)
class EmulatorConfig:
    """Fixed settings of one emulator.

    Attributes:
        seed: makes instances, history, ids and demo credentials repeatable.
        tasks: GC history size of the main instance, live tasks included.
        latency_ms: delay added to every request (also a fault, changeable).
        clock_speed: emulator seconds per real second; 0 freezes time so that
            only ``clock.advance`` moves it.
        start: the emulator's "now" at construction; real time by default.
        region: the region the demo project lives in.
    """

    seed: int = 7
    tasks: int = 400
    latency_ms: float = 0.0
    clock_speed: float = 1.0
    start: datetime | None = None
    region: str = "cn-north-4"

    def __post_init__(self) -> None:
        if self.tasks < 0:
            raise ValueError("tasks must be 0 or more")
        if self.clock_speed < 0:
            raise ValueError("clock_speed must be 0 or more")


@dataclass
class Faults:
    """Switches a test or benchmark flips while the server runs.

    Plain attributes, read on every request, so assigning one takes effect
    at once. Decisions use their own seeded generator: the same seed and the
    same requests give the same faults.

    Attributes:
        latency_ms: delay before every answer.
        error_rate: share (0..1) of SWR calls answered 500.
        throttle_rate: share (0..1) of SWR calls answered 429 by the gateway.
        slow_marker_ms: extra delay for GC pages asked for with a marker.
        status_latency_ms: extra delay for GC listings filtered by a status.
        fail_next: statuses (or ``"html"``) the next GC list calls answer,
            consumed in order.
    """

    latency_ms: float = 0.0
    error_rate: float = 0.0
    throttle_rate: float = 0.0
    slow_marker_ms: float = 0.0
    status_latency_ms: dict[str, float] = field(default_factory=dict)
    fail_next: list[int | str] = field(default_factory=list)
    seed: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def roll(self, rate: float) -> bool:
        """True with probability ``rate``; never true for 0."""
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def take_failure(self) -> int | str | None:
        """The next queued failure, removed from the queue; None if empty."""
        with self._lock:
            return self.fail_next.pop(0) if self.fail_next else None

    def list_delay_ms(self, *, has_marker: bool, status: str | None) -> float:
        """Extra delay of one GC list call, on top of ``latency_ms``."""
        extra = self.slow_marker_ms if has_marker else 0.0
        if status is not None:
            extra += self.status_latency_ms.get(status, 0.0)
        return extra

    def reset(self) -> None:
        """Turns every fault off."""
        self.latency_ms = self.error_rate = self.throttle_rate = 0.0
        self.slow_marker_ms = 0.0
        self.status_latency_ms = {}
        with self._lock:
            self.fail_next = []

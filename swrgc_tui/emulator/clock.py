"""The emulator's sense of time: real time, sped up, frozen or pushed ahead."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Emulator time: real elapsed time times ``speed``, plus what was advanced.

    Task lifecycles read it lazily on each request, so no background thread
    is needed: advancing the clock is enough for a Running task to finish.

    Args:
        start: the emulator time at construction; real time by default. A
            naive datetime is taken as UTC.
        speed: emulator seconds per real second; 0 freezes the clock.
    """

    def __init__(self, start: datetime | None = None, speed: float = 1.0) -> None:
        moment = start if start is not None else datetime.now(UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        self._origin = moment.timestamp()
        self._real_origin = time.monotonic()
        self._speed = speed
        self._lock = threading.Lock()

    @property
    def speed(self) -> float:
        """Emulator seconds per real second."""
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if value < 0:
            raise ValueError("speed must be 0 or more")
        with self._lock:
            # Rebase so that changing the speed never makes time jump.
            self._origin = self._time_locked()
            self._real_origin = time.monotonic()
            self._speed = value

    def time(self) -> float:
        """Emulator time as epoch seconds."""
        with self._lock:
            return self._time_locked()

    def now(self) -> datetime:
        """Emulator time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        """Moves emulator time forward; time never goes back."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._origin += seconds

    def _time_locked(self) -> float:
        elapsed = time.monotonic() - self._real_origin
        return self._origin + elapsed * self._speed

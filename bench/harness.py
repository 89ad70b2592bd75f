"""What every figure needs: options, shared emulators, interleaved repeats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

from bench.emuproc import EmulatorInfo, EmulatorProcess
from bench.options import Options


def say(text: str) -> None:
    """Progress for the person running the benchmarks, on stderr."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


@dataclass
class Context:
    """One run of the benchmarks: its options and the emulators it started.

    Emulators are started on first use and shared by the figures that ask
    for the same history size and latency; :meth:`close` stops them all.
    """

    options: Options
    _stack: ExitStack = field(default_factory=ExitStack)
    _emulators: dict[tuple[int, float], EmulatorInfo] = field(default_factory=dict)

    def emulator(self, tasks: int, latency_ms: float = 0.0) -> EmulatorInfo:
        """A running emulator with ``tasks`` on its main instance."""
        key = (tasks, latency_ms)
        if key not in self._emulators:
            say(f"  starting an emulator: {tasks:,} tasks, {latency_ms:g} ms latency")
            process = EmulatorProcess(tasks=tasks, latency_ms=latency_ms)
            self._emulators[key] = self._stack.enter_context(process)
        return self._emulators[key]

    def close(self) -> None:
        """Stops every emulator this run started."""
        self._stack.close()
        self._emulators.clear()


def interleave(
    repeat: int,
    ours: Callable[[], float],
    reference: Callable[[], float],
    label: str,
    *,
    warm_up: bool = True,
) -> tuple[list[float], list[float]]:
    """Runs ours and the reference alternately, after one discarded warm-up each.

    The order flips on every round so that neither side always runs right
    after the other on a machine whose load drifts. Measurements that no
    cache can sway (memory in a fresh process) may skip the warm-up.
    """
    if warm_up:
        ours(), reference()
    ours_samples: list[float] = []
    ref_samples: list[float] = []
    for round_ in range(repeat):
        pair = [(ours, ours_samples), (reference, ref_samples)]
        for measure, samples in pair if round_ % 2 == 0 else reversed(pair):
            samples.append(measure())
        say(
            f"  {label} {round_ + 1}/{repeat}: "
            f"ours {ours_samples[-1]:.4g}, reference {ref_samples[-1]:.4g}"
        )
    return ours_samples, ref_samples

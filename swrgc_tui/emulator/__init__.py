"""A faithful SWR Enterprise (and IAM) emulator served over loopback HTTP.

    from swrgc_tui.emulator import EmulatorConfig, EmulatorServer

    with EmulatorServer(EmulatorConfig(seed=7, tasks=400)) as emu:
        ...  # point any client at emu.endpoint with emu.ak / emu.sk

Modules: ``data`` generates the account and history from a seed, ``tasks``
stores history as columns, ``lifecycle`` and ``ledger`` move live runs on
the emulator's ``clock``, ``state`` holds the operations, ``auth`` and
``iam`` play the gateway and IAM, ``app`` routes HTTP, ``server`` runs it.
"""

from .clock import Clock
from .config import EmulatorConfig, Faults
from .server import EmulatorServer, describe, serve

__all__ = ["Clock", "EmulatorConfig", "EmulatorServer", "Faults", "describe", "serve"]

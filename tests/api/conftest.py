"""Fixtures of the API layer's tests."""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture(scope="session")
def sdk_signer(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The official SDK's signer module, imported with a throwaway HOME.

    Importing the SDK writes ``~/.huaweicloud/application_id``; a temporary
    home during the import keeps the real one untouched.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("sdk-home")))
        importlib.import_module("huaweicloudsdkcore.sdk_request")
        return importlib.import_module("huaweicloudsdkcore.signer.signer")


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key

"""Fixtures of the API layer's tests."""

from __future__ import annotations

import importlib
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

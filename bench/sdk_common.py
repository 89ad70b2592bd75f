"""What both reference scripts share: the official client, built as its docs say.

Credentials come from the SDK's own environment variables
(``HUAWEICLOUD_SDK_AK``, ``HUAWEICLOUD_SDK_SK``, ``HUAWEICLOUD_SDK_PROJECT_ID``),
never from the command line.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from typing import Any

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkswr.v2 import SwrClient


def build_client(endpoint: str) -> Any:
    """An official ``SwrClient`` signing with AK/SK against ``endpoint``."""
    credentials = BasicCredentials(
        os.environ["HUAWEICLOUD_SDK_AK"],
        os.environ["HUAWEICLOUD_SDK_SK"],
        os.environ["HUAWEICLOUD_SDK_PROJECT_ID"],
    )
    return (
        SwrClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([endpoint])
        .build()
    )


def print_tasks(tasks: Iterable[Any]) -> None:
    """Writes each task as one line of JSON, as ``swrgc-tui tasks`` does."""
    write = sys.stdout.write
    for task in tasks:
        write(json.dumps(task.to_dict(), ensure_ascii=False) + "\n")

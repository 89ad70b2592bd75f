"""A region's default IAM and SWR endpoints.

Kept apart from ``swrgc_tui.api.iam`` so that resolving the settings, which
needs these names, imports neither httpx nor pydantic.
"""

from __future__ import annotations

import re

_REGION = re.compile(r"[a-z]{2,}(-[a-z0-9]+)+")
#: Regions served from Huawei Cloud's European domain.
_EU_REGIONS = frozenset({"eu-west-101"})


def _domain(region: str) -> str:
    if not _REGION.fullmatch(region):
        raise ValueError(f"{region!r} is not a region name such as cn-north-4")
    suffix = "eu" if region in _EU_REGIONS else "com"
    return f"{region}.myhuaweicloud.{suffix}"


def iam_endpoint_for(region: str) -> str:
    """IAM's endpoint in a region, e.g. ``https://iam.cn-north-4.myhuaweicloud.com``."""
    return f"https://iam.{_domain(region)}"


def swr_endpoint_for(region: str) -> str:
    """SWR's endpoint in a region, e.g. ``https://swr-api.cn-north-4.myhuaweicloud.com``."""
    return f"https://swr-api.{_domain(region)}"

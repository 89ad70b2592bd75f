"""Deterministic demo data: the account and its instances.

Everything here follows from the seed and the start time alone, and nothing
here knows about HTTP.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

_DOMAIN = "myhuaweicloud.com"
_DAY = 86400


@dataclass(frozen=True)
class Account:
    """The demo tenant and the fake secrets that open it (kept out of repr)."""

    project_id: str
    project_name: str
    domain_id: str
    domain_name: str
    user_id: str
    user_name: str
    password: str = field(repr=False)
    ak: str
    sk: str = field(repr=False)


def _token(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def make_account(rng: random.Random, region: str) -> Account:
    """The demo account; its secrets are fake and printed on purpose."""
    return Account(
        project_id=_hex_id(rng),
        project_name=region,
        domain_id=_hex_id(rng),
        domain_name="swrgc-demo-account",
        user_id=_hex_id(rng),
        user_name="swrgc-demo",
        password="Demo-" + _token(rng, string.ascii_letters + string.digits, 12),
        ak="HPUA" + _token(rng, string.ascii_uppercase + string.digits, 16),
        sk=_token(rng, string.ascii_letters + string.digits, 40),
    )


def _instance_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_instances(
    rng: random.Random, account: Account, start: float
) -> list[dict[str, object]]:
    """Main (Running), small (Running), legacy (Unavailable), new (Creating)."""
    shapes: Sequence[tuple[str, str, str, str, float]] = (
        ("swr-prod", "Running", "swr.ee.professional", "Production registry", 600),
        ("swr-staging", "Running", "swr.ee.basic", "Staging registry", 14),
        ("swr-legacy", "Unavailable", "swr.ee.basic", "Retired; kept for audit", 900),
        ("swr-sandbox", "Creating", "swr.ee.basic", "", 0.01),
    )
    return [
        _instance(rng, account, start, name, status, spec, description, age_days)
        for name, status, spec, description, age_days in shapes
    ]


def _instance(
    rng: random.Random,
    account: Account,
    start: float,
    name: str,
    status: str,
    spec: str,
    description: str,
    age_days: float,
) -> dict[str, object]:
    def stamp(offset_days: float) -> str:
        moment = datetime.fromtimestamp(start + offset_days * _DAY, UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    instance_id = _instance_id(rng)
    region = account.project_name
    return {
        "id": instance_id,
        "name": name,
        "description": description,
        "spec": spec,
        "version": "v3.2.4" if status != "Unavailable" else "v2.10.1",
        "charge_mode": "postPaid",
        "access_address": f"https://{name}-{instance_id[:8]}.swr.{region}.{_DOMAIN}",
        "created_at": stamp(-age_days),
        "updated_at": stamp(-min(age_days, 3)),
        "expires_at": "",
        "status": status,
        "obs_bucket_name": f"swr-{instance_id[:8]}-{region}",
        "user_def_obs": False,
        "project_id": account.project_id,
        "enterprise_project_id": "0",
        "vpc_id": _instance_id(rng),
        "vpc_name": "vpc-registry",
        "vpc_cidr": "192.168.0.0/16",
        "subnet_id": _instance_id(rng),
        "subnet_name": "subnet-registry",
        "subnet_cidr": "192.168.10.0/24",
        "product_id": "",
        "order_id": "",
        "vpcep_service_id": _instance_id(rng),
    }

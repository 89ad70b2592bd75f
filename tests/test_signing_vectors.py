"""The signer against signatures computed by the official SDK's signer."""

from __future__ import annotations

import pytest

from swrgc_tui.api.signing import canonical_query, canonical_uri, compute_signature

AK = "HPUAEXAMPLEAK0000001"
SK = "exampleSecretKey0123456789abcdefEXAMPLE0"
PROJECT = "0123456789abcdef0123456789abcdef"
INSTANCE = "5d6e1c5e-2c3f-4a7e-9d0c-111122223333"
BASE_HEADERS = {
    "User-Agent": "huaweicloud-usdk-python/3.0; test",
    "Content-Type": "application/json",
    "X-Project-Id": PROJECT,
    "X-Sdk-Date": "20240102T030405Z",
    "Host": "swr-api.cn-north-4.myhuaweicloud.com",
}
EXECUTE_BODY = (
    b'{"schedule": {"type": "Manual"}, "parameters": '
    b'{"delete_untagged": true, "workers": 3, "dry_run": true}}'
)

VECTORS = [
    pytest.param(
        "GET",
        f"/v2/{PROJECT}/instances/{INSTANCE}/system/gc",
        [("limit", "10"), ("status", "Success"), ("marker", "a b/c~d")],
        BASE_HEADERS,
        b"",
        "content-type;host;user-agent;x-project-id;x-sdk-date",
        "a07840d3fb0d2b3c6509ec3e736a0529c26804502e0b2bf44593d0742e7d02ca",
        id="list-gc-tasks",
    ),
    pytest.param(
        "POST",
        f"/v2/{PROJECT}/instances/{INSTANCE}/system/gc/schedule",
        [],
        {**BASE_HEADERS, "X-Security-Token": "tmpToken123"},
        EXECUTE_BODY,
        "content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token",
        "ab028584b853ba55e0851e50632c846cdc156816730204273d1762ea073ef19f",
        id="execute-with-security-token",
    ),
    pytest.param(
        "GET",
        f"/v2/{PROJECT}/instances",
        [
            ("offset", "0"),
            ("limit", "100"),
            ("flag", "true"),
            ("tag", "b"),
            ("tag", "a"),
        ],
        {
            **{k: v for k, v in BASE_HEADERS.items() if k != "User-Agent"},
            "X_Custom_Underscore": "skipped",
        },
        b"",
        "content-type;host;x-project-id;x-sdk-date",
        "612aa14fb8dbd1ab667c07785fe273e3780f8a6f4097a9009654108636cd16a4",
        id="underscore-header-and-repeated-key",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "query", "headers", "body", "signed", "signature"), VECTORS
)
def test_signature_matches_official_signer(
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    signed: str,
    signature: str,
) -> None:
    parts = compute_signature(
        secret_key=SK, method=method, path=path, query=query, headers=headers, body=body
    )

    assert parts.authorization(AK) == (
        f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature={signature}"
    )


def test_canonical_uri_decodes_then_encodes_each_segment() -> None:
    assert canonical_uri("/v2/p/a%20b/c~d") == "/v2/p/a%20b/c~d/"
    assert canonical_uri("/v2/ü") == "/v2/%C3%BC/"


def test_canonical_query_sorts_by_key_then_value_and_encodes_spaces() -> None:
    query = [("tag", "b"), ("marker", "a b/c~d"), ("tag", "a")]

    assert canonical_query(query) == "marker=a%20b%2Fc~d&tag=a&tag=b"

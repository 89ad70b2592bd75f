"""AkSkAuth against the official SDK's signer on random requests.

Both sign the same request at the same moment; the Authorization header and
the URI sent on the wire must come out identical, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swrgc_tui.api.auth import UNSIGNED_HEADERS, AkSkAuth

AK = "HPUAEXAMPLEAK0000001"
SK = "exampleSecretKey0123456789abcdefEXAMPLE0"
RESERVED = UNSIGNED_HEADERS | {
    "host",
    "content-type",
    "x-sdk-date",
    "x-project-id",
    "x-security-token",
}

# Any character but lone surrogates, which no URL can carry; spaces, "/", "~",
# "+", "&", "=" and "%" are weighted in because they are where encoders differ.
text = st.text(
    alphabet=st.one_of(
        st.sampled_from(" /~+&=%?#"),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=12,
)
header_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,12}", fullmatch=True).filter(
    lambda name: name.lower() not in RESERVED
)
header_values = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20
)


@dataclass(frozen=True)
class Case:
    """One random request and the credentials that sign it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes
    moment: datetime
    project_id: str | None
    security_token: str | None


@st.composite
def cases(draw: st.DrawFn) -> Case:
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]))
    segments = draw(st.lists(text, min_size=1, max_size=4))
    unique_names = st.lists(
        st.tuples(header_names, header_values),
        max_size=4,
        unique_by=lambda item: item[0].lower(),
    )
    moments = st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.just(UTC),
    )
    return Case(
        method=method,
        path="/" + "/".join(quote(s, safe="~") for s in segments),
        query=draw(st.lists(st.tuples(text.filter(bool), text), max_size=5)),
        headers=draw(unique_names),
        body=draw(st.binary(max_size=64)) if method in ("POST", "PUT") else b"",
        moment=draw(moments),
        project_id=draw(st.sampled_from([None, "0123456789abcdef"])),
        security_token=draw(st.sampled_from([None, "tmp/Token+=="])),
    )


def sign_with_aksk(case: Case) -> httpx.Request:
    auth = AkSkAuth(
        AK,
        SK,
        project_id=case.project_id,
        security_token=case.security_token,
        clock=lambda: case.moment,
    )
    request = httpx.Request(
        case.method,
        "http://swr.example:8443" + case.path,
        params=case.query,
        headers=[("Content-Type", "application/json"), *case.headers],
        content=case.body,
    )
    auth.sign(request)
    return request


def sign_with_sdk(sdk_signer: ModuleType, case: Case, sent: httpx.Request) -> Any:
    """The official signer on the same request: what it was given to send."""
    from huaweicloudsdkcore.sdk_request import SdkRequest

    request = SdkRequest(
        method=case.method,
        schema="http",
        host=sent.headers["host"],
        resource_path=sent.url.raw_path.decode().partition("?")[0],
        query_params=list(case.query),
        header_params={
            name: value
            for name, value in sent.headers.items()
            if name not in UNSIGNED_HEADERS
        },
        body=case.body,
    )
    credentials = SimpleNamespace(ak=AK, sk=SK)
    return sdk_signer.Signer(credentials).sign(request)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_signature_and_wire_uri_match_the_official_signer(
    sdk_signer: ModuleType, case: Case
) -> None:
    ours = sign_with_aksk(case)
    theirs = sign_with_sdk(sdk_signer, case, ours)

    assert ours.headers["Authorization"] == theirs.header_params["Authorization"]
    assert ours.url.raw_path.decode() == theirs.uri

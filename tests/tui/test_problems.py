"""What the user reads about a failure, and the small text helpers of the UI."""

from __future__ import annotations

from swrgc_tui.api.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    TransportError,
)
from swrgc_tui.tui.problems import explain
from swrgc_tui.tui.screens.help import key_label
from swrgc_tui.tui.widgets.sidebar import StatusCounts
from swrgc_tui.tui.widgets.status_line import listing_text

AKSK = "AK/SK (AK HPUA…0001) from environment HUAWEICLOUD_SDK_AK/SK"


def test_rejected_signature_names_the_keys_and_the_clock() -> None:
    error = AuthenticationError(
        401,
        error_code="APIGW.0301",
        error_msg="Incorrect IAM authentication info: verify aksk signature fail",
        request_id="abc123",
    )
    problem = explain(error, credentials=AKSK)
    assert problem.title == "Authentication failed"
    assert "APIGW.0301" in problem.summary and "request id abc123" in problem.summary
    assert problem.details == (f"Credentials used: {AKSK}.",)
    assert "15 minutes" in problem.hint and not problem.offer_login


def test_rejected_token_offers_a_login() -> None:
    error = AuthenticationError(
        401, error_code="APIGW.0301", error_msg="x-auth-token not found"
    )
    problem = explain(error, credentials="token from token file /t", uses_token=True)
    assert problem.offer_login and "SWRGC_AUTH_TOKEN" in problem.hint


def test_expired_token_says_so() -> None:
    error = AuthenticationError(401, error_code="APIGW.0307", error_msg="token expired")
    problem = explain(error, credentials="token from IAM login as a@b", uses_token=True)
    assert problem.title == "Your token has expired" and problem.offer_login


def test_forbidden_carries_the_encoded_message_and_how_to_decode_it() -> None:
    error = PermissionDeniedError(
        403,
        error_code="SVCSTG.SWR.4030170",
        error_msg="insufficient permissions",
        encoded_authorization_message="ENC\x1b[2Jdata",
        request_id="r9",
    )
    problem = explain(error, credentials=AKSK)
    assert problem.is_forbidden and problem.copyable == "ENCdata"
    assert "decode-authorization-message" in problem.hint


def test_unknown_instance_is_named() -> None:
    error = NotFoundError(404, error_code="SVCSTG.SWR.4040001", error_msg="not found")
    problem = explain(error, instance="i-123")
    assert problem.is_not_found
    assert problem.details == ("Instance i-123 is not known to the service.",)


def test_server_text_loses_its_escape_sequences() -> None:
    error = ServerError(500, error_code="SVCSTG.SWR.5000001", error_msg="boom\x1b[31m!")
    assert "\x1b" not in explain(error).summary
    assert explain(error).title == "The service failed"


def test_unreachable_names_the_endpoint_and_a_bug_is_called_one() -> None:
    problem = explain(TransportError("connection refused"), endpoint="https://x")
    assert problem.title == "Cannot reach https://x"
    assert "HTTPS_PROXY" in problem.hint
    bug = explain(ValueError("nope"))
    assert bug.kind == "bug" and bug.summary == "ValueError: nope"


def test_sidebar_counts_keep_other_statuses_while_a_filter_is_listed() -> None:
    counts = StatusCounts()
    labels = counts.update(None, {"Success": 90, "Error": 10}, 100, True)
    assert labels[None] == "100+" and labels["Success"] == "90+"
    assert labels["Running"] == "0+"
    labels = counts.update("Error", {"Error": 25}, 25, False)
    assert labels["Error"] == "25" and labels["Success"] == "90+"


class _Listing:
    status: str | None = "Error"
    more = True
    loading = False
    started = True
    error: object | None = None
    loading_all = False


def test_status_line_says_what_is_loaded_and_what_is_next() -> None:
    listing = _Listing()
    assert listing_text(listing, 1234) == (
        "1,234 Error tasks loaded · more on server (L loads all)"
    )
    listing.loading_all = True
    assert listing_text(listing, 1300).endswith("loading everything… Esc stops")
    listing.loading_all, listing.more = False, False
    assert listing_text(listing, 1400).endswith("that is all")
    listing.started, listing.error = False, object()
    assert listing_text(listing, 0) == "The first page failed · R retries"


def test_key_labels_read_as_people_write_them() -> None:
    assert [key_label(k) for k in ("question_mark", "ctrl+d", "slash", "G")] == [
        "?",
        "Ctrl+d",
        "/",
        "G",
    ]

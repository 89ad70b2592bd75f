"""The two IAM operations clients need: password login and project lookup."""

from __future__ import annotations

import time
from typing import Any

from .auth import TokenStore
from .data import Account
from .errors import Rejection

#: Tokens from IAM live a day.
TOKEN_TTL_SECONDS = 24 * 3600.0


def _iam_error(status: int, code: str, message: str) -> Rejection:
    return Rejection(status, code, message, source="iam")


def _format(moment: float) -> str:
    fraction = f"{moment % 1:.6f}"[1:]
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment)) + fraction + "Z"


def _dig(body: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


def password_login(
    body: object, account: Account, tokens: TokenStore
) -> tuple[str, dict[str, Any]]:
    """POST /v3/auth/tokens with a password: the token and the 201 body.

    Raises 400 for a malformed body, 401 for a wrong user, password or
    account, 400 for a scope naming a project the account lacks.
    """
    identity = _dig(body, "auth", "identity")
    methods = _dig(identity, "methods")
    user = _dig(identity, "password", "user")
    if not isinstance(methods, list) or "password" not in methods or not user:
        raise _iam_error(400, "IAM.0001", "The request body is invalid")
    given = (_dig(user, "name"), _dig(user, "password"), _dig(user, "domain", "name"))
    if given != (account.user_name, account.password, account.domain_name):
        raise _iam_error(401, "IAM.0101", "The username or password is wrong.")
    project_id = _scoped_project(_dig(body, "auth", "scope"), account)
    token, expires_at = tokens.issue(project_id, TOKEN_TTL_SECONDS)
    return token, _token_body(account, project_id, expires_at)


def _scoped_project(scope: object, account: Account) -> str | None:
    project = _dig(scope, "project")
    if project is None:
        return None
    same_name = _dig(project, "name") in (account.project_name, None)
    same_id = _dig(project, "id") in (account.project_id, None)
    if same_name and same_id:
        return account.project_id
    raise _iam_error(400, "IAM.0002", "The project in the scope does not exist")


def _token_body(
    account: Account, project_id: str | None, expires_at: float
) -> dict[str, Any]:
    domain = {"id": account.domain_id, "name": account.domain_name}
    token: dict[str, Any] = {
        "expires_at": _format(expires_at),
        "issued_at": _format(expires_at - TOKEN_TTL_SECONDS),
        "methods": ["password"],
        "user": {"id": account.user_id, "name": account.user_name, "domain": domain},
        "roles": [{"id": "0", "name": "te_admin"}],
        "catalog": [],
    }
    if project_id is not None:
        token["project"] = {
            "id": project_id,
            "name": account.project_name,
            "domain": domain,
        }
    else:
        token["domain"] = domain
    return {"token": token}


def list_projects(name: str | None, account: Account) -> dict[str, Any]:
    """GET /v3/projects: the demo project if ``name`` is its region or absent."""
    projects = []
    if name in (None, "", account.project_name):
        projects.append(
            {
                "id": account.project_id,
                "name": account.project_name,
                "domain_id": account.domain_id,
                "description": "",
                "enabled": True,
                "is_domain": False,
                "parent_id": account.domain_id,
            }
        )
    return {"projects": projects, "links": {"self": "/v3/projects", "next": None}}

"""Who the API thinks the caller is, and the caller's API tokens (`/api/v1/me/tokens`)."""

from __future__ import annotations

from ninja import Body, Router
from ninja.responses import Response

from kuangzheng.access import tokens
from kuangzheng.access.http import Unauthenticated, actor_of, check_password, token_user
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput

router = Router(tags=["用户 me"])

SIGN_IN_FIRST = Unauthenticated("请先登录（会话或令牌）", "sign in first (session or token)")


@router.get("", summary="Who the API thinks you are")
def me(request):
    a = actor_of(request)
    return {"username": a.username, "role": a.role, "division": a.division_code, "enterprise": a.enterprise_id}


def _signed_in_user(request):
    user = token_user(request) or (request.user if request.user.is_authenticated else None)
    if user is None:
        raise SIGN_IN_FIRST
    return user


@router.get("/tokens", summary="Your API tokens (never their secrets)")
def list_tokens(request):
    return [tokens.describe(t) for t in tokens.of_user(_signed_in_user(request))]


@router.post(
    "/tokens",
    summary="Make an API token",
    description=(
        "Body: `name`, optional `expires_in_days` (1–366, default 90). Signed in to the portal, the "
        "session's user gets the token (the CSRF token is required); a script without a session sends "
        "`username` and `password` instead — failed attempts count toward a lockout (429). A token cannot "
        "make further tokens. The secret is in the answer once and is never stored; send it as "
        "`Authorization: Bearer <secret>`."
    ),
)
def create_token(request, data: dict = Body(...)):
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("body", "请求体须为 JSON 对象", "the body must be a JSON object")])
    if token_user(request) is not None:
        raise Forbidden("令牌不能用于创建新令牌", "a token cannot make further tokens")
    if request.user.is_authenticated:
        actor_of(request, write=True)  # the CSRF check of a session
        user = request.user
    elif data.get("username") and data.get("password"):
        user = check_password(request, str(data["username"]), str(data["password"]))
    else:
        raise SIGN_IN_FIRST
    made = tokens.create(user, data.get("name", ""), data.get("expires_in_days"))
    return Response({**tokens.describe(made.token), "secret": made.secret}, status=201)


@router.delete("/tokens/{token_id}", summary="Revoke one of your API tokens")
def revoke_token(request, token_id: int):
    user = _signed_in_user(request)
    if request.user.is_authenticated and token_user(request) is None:
        actor_of(request, write=True)
    return tokens.describe(tokens.revoke(user, token_id))

"""API credentials for tests: a real token made the way `kz token create` makes one."""


def bearer(user, name: str = "test") -> dict:
    """Django test-client keyword arguments that authenticate as `user` with a fresh API token."""
    from kuangzheng.access import tokens

    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.create(user, name).secret}"}

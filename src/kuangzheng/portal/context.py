from kuangzheng.access.actor import actor_for_user


def actor(request):
    return {"actor": actor_for_user(getattr(request, "user", None))}

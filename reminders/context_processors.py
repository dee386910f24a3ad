from .selectors import unread_count


def notifications(request):
    """The signed-in worker's unread notification count, for the header link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": unread_count(user)}

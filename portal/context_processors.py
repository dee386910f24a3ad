from django.conf import settings


def portal(request):
    """Site-wide values every worker template needs."""
    return {"council_name": settings.PORTAL_COUNCIL_NAME}

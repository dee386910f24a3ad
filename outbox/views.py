from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import queue_health


@require_GET
@never_cache
def health_queue(request: HttpRequest) -> JsonResponse:
    """Monitoring calls this: 503 when the django-q2 cluster has not run a scheduled task recently."""
    report = queue_health()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)

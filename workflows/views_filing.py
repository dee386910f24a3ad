"""Download a filed snapshot (issue 13): only for someone who may see the child it is about."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from portal.selectors import children_for_user

from .models import FiledDocument


@login_required
def filed_document(request: HttpRequest, pk: int) -> FileResponse:
    doc = FiledDocument.objects.filter(pk=pk).first()
    if doc is None or not children_for_user(request.user).filter(pk=doc.child_id).exists():
        raise Http404("No such document")
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=f"{doc.title}.html",
        content_type="text/html; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

from django.urls import path

from . import views

app_name = "forms_builder"
urlpatterns = [
    path("start/<slug:key>/", views.start, name="start"),
    path("drafts/", views.drafts, name="drafts"),
    path("submissions/<int:pk>/", views.edit, name="edit"),
    path("submissions/<int:pk>/autosave/", views.autosave, name="autosave"),
    path("submissions/<int:pk>/view/", views.view, name="view"),
    path("submissions/<int:pk>/print/", views.print_view, name="print"),
    path("submissions/<int:pk>/files/<slug:key>/", views.download, name="file"),
]

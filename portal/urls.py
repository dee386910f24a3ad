from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/locked/", views.locked_accounts, name="locked_accounts"),
    path("accounts/locked/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("", views.home, name="home"),
    path("children/", views.my_children, name="my_children"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("meetings/", include("workflows.urls")),
    path("forms/", include("forms_builder.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("pages/", include(wagtail_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

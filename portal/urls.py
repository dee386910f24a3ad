from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from outbox.views import health_queue

from . import views
from .cms_scopes import ScopedLogEntriesView
from .forms import SignInForm

urlpatterns = [
    path("health/", views.health, name="health"),
    path("health/queue/", health_queue, name="health_queue"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="portal/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/locked/", views.locked_accounts, name="locked_accounts"),
    path("accounts/locked/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    # the start page and a child's page: panels from every app (home/)
    path("", include("home.urls")),
    path("children/", views.my_children, name="my_children"),
    path("meetings/", include("workflows.urls")),
    path("forms/", include("forms_builder.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("notifications/", include("reminders.urls")),
    # The CMS site-history report scoped like the worker site (issue 11): before Wagtail's own route.
    path("cms/reports/site-history/", require_admin_access(ScopedLogEntriesView.as_view())),
    path(
        "cms/reports/site-history/results/",
        require_admin_access(ScopedLogEntriesView.as_view(results_only=True)),
    ),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("pages/", include(wagtail_urls)),
]

# Uploaded files are never served from MEDIA_URL, in any setting (the demo included): only through
# forms_builder's checked download view, to people who may read the submission, as attachments.

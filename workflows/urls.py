from django.urls import path

from . import views, views_actions, views_filing, views_paths

app_name = "workflows"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("request/<int:child_pk>/", views.meeting_request, name="meeting_request"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/", views_actions.action_update, name="action_update"),
    path("children/<int:child_pk>/review/", views_actions.child_review, name="child_review"),
    path("filed/<int:pk>/", views_filing.filed_document, name="filed_document"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/submit/", views.meeting_submit, name="meeting_submit"),
    path("<int:pk>/approve/", views.meeting_approve, name="meeting_approve"),
    path("<int:pk>/decline/", views.meeting_decline, name="meeting_decline"),
    path("<int:pk>/schedule/", views.meeting_schedule, name="meeting_schedule"),
    path("<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("<int:pk>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path("<int:pk>/minutes/circulate/", views.minutes_circulate, name="minutes_circulate"),
    path("<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/provider-notice/", views.provider_notice, name="provider_notice"),
    # Alternative paths (issue 10)
    path("<int:pk>/not-held/", views_paths.meeting_not_held_view, name="meeting_not_held"),
    path("consider/", views_paths.consider_task_list, name="consider_task_list"),
    path("consider/<int:pk>/", views_paths.consider_task_detail, name="consider_task"),
]

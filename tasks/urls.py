from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="task_list"),
    path("cua-toi/", views.MyTaskListView.as_view(), name="my_tasks"),
    path("cho-duyet/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("<int:pk>/bao-cao/<int:year>/", views.TaskReportEditView.as_view(), name="report_edit"),
    path("bao-cao/<int:pk>/danh-gia/", views.TaskReportReviewView.as_view(), name="report_review"),
    path("minh-chung/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(
        "ke-hoach/<slug:slug>/tinh-hinh-bao-cao/<int:year>/",
        views.CompletenessView.as_view(),
        name="completeness",
    ),
    path("ke-hoach/<slug:slug>/", views.PlanTaskManageView.as_view(), name="task_manage"),
    path("ke-hoach/<slug:slug>/them/", views.TaskRowEditView.as_view(), name="task_add"),
    path("ke-hoach/<slug:slug>/<int:pk>/sua/", views.TaskRowEditView.as_view(), name="task_edit"),
    path("ke-hoach/<slug:slug>/phan/them/", views.SectionEditView.as_view(), name="section_add"),
    path(
        "ke-hoach/<slug:slug>/phan/<int:pk>/sua/",
        views.SectionEditView.as_view(),
        name="section_edit",
    ),
    path("ke-hoach/<slug:slug>/nhap/", views.TaskImportView.as_view(), name="task_import"),
]

from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
    path("inbox/read-all/", views.mark_all_read, name="read-all"),
    path("feed/", views.activity_feed, name="feed"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

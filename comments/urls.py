from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("works/<slug:slug>/comments/", views.post, {"kind": "work"}, name="work-post"),
    path("lists/<slug:slug>/comments/", views.post, {"kind": "list"}, name="list-post"),
    path("works/<slug:slug>/comments/feed/", feeds.WorkCommentsFeed(), name="work-feed"),
    path(
        "works/<slug:slug>/comments/feed/atom/",
        feeds.WorkCommentsAtomFeed(),
        name="work-feed-atom",
    ),
    path("comments/<int:pk>/", views.permalink, name="permalink"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/<int:pk>/replies/", views.replies, name="replies"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/delete/", views.delete, name="delete"),
    path("comments/<int:pk>/flag/", views.flag, name="flag"),
    path("comments/<int:pk>/metoo/", views.metoo, name="metoo"),
]

from django.urls import path

from . import api, feeds, views

app_name = "catalog"

urlpatterns = [
    path("works/", views.WorkListView.as_view(), name="works"),
    path("works/<slug:slug>/content-notes/", views.content_note_vote, name="content-note-vote"),
    path("account/content-notes/", views.note_preferences, name="note-preferences"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/mine/", views.my_suggestions, name="my-suggestions"),
    path("feeds/works/", feeds.NewWorksFeed(), name="feed-works"),
    path("feeds/works/atom/", feeds.NewWorksAtomFeed(), name="feed-works-atom"),
    path("feeds/lists/", feeds.NewListsFeed(), name="feed-lists"),
    path("feeds/lists/atom/", feeds.NewListsAtomFeed(), name="feed-lists-atom"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("lists/", views.ListIndexView.as_view(), name="lists"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("api/works/", api.work_index, name="api-works"),
    path("api/lists/", api.list_index, name="api-lists"),
    path("api/lists/<slug:slug>/", api.list_detail, name="api-list"),
]

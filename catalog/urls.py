from django.urls import path

from . import api, views

app_name = "catalog"

urlpatterns = [
    path("works/", views.WorkListView.as_view(), name="works"),
    path("works/<slug:slug>/", views.WorkDetailView.as_view(), name="work"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("lists/", views.ListIndexView.as_view(), name="lists"),
    path("lists/<slug:slug>/", views.ListDetailView.as_view(), name="list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("api/works/", api.work_index, name="api-works"),
    path("api/works/<slug:slug>/", api.work_detail, name="api-work"),
    path("api/lists/", api.list_index, name="api-lists"),
    path("api/lists/<slug:slug>/", api.list_detail, name="api-list"),
]

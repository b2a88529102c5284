from django.urls import path

from . import api, views

app_name = "votes"

urlpatterns = [
    path("works/<slug:slug>/rating/", views.rate_work, name="rate"),
    path("works/<slug:slug>/rating/later/", views.rate_later, name="rate-later"),
    path("works/<slug:slug>/tears/", views.tear_add, name="tear-add"),
    path("works/<slug:slug>/tears/remove/", views.tear_remove, name="tear-remove"),
    path("api/works/<slug:slug>/tears/", api.work_tears, name="api-tears"),
    path("lists/<slug:slug>/reaction/", views.react_to_list, name="react"),
    path("works/<slug:slug>/watchlist/", views.watchlist_toggle, name="watchlist-toggle"),
    path("u/<str:username>/watchlist/", views.watchlist_page, name="watchlist"),
    path("rankings/", views.RankingView.as_view(), name="rankings"),
    path("moments/", views.moments, name="moments"),
    path("api/rankings/", api.rankings, name="api-rankings"),
    path("works/<slug:slug>/card.png", views.work_card, name="work-card"),
    path("u/<str:username>/cards/<slug:slug>.png", views.rating_card, name="rating-card"),
]

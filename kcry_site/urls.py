"""Every public URL. Pages that combine apps are routed to kcry_site.pages; each app's
own pages and writes come from its urls.py."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from catalog.sitemaps import ListSitemap, PersonSitemap, StaticSitemap, WorkSitemap

from . import health, views
from .accounts import views as accounts
from .pages import api as page_api
from .pages import member_data_views
from .pages import views as pages

SITEMAPS = {
    "pages": StaticSitemap(
        ["home", "catalog:works", "catalog:lists", "votes:rankings", "votes:moments"]
    ),
    "works": WorkSitemap,
    "lists": ListSitemap,
    "people": PersonSitemap,
}

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    # Pages composed from several apps.
    path("", pages.home, name="home"),
    path("works/<slug:slug>/", pages.work_page, name="work"),
    path("lists/<slug:slug>/", pages.list_page, name="list"),
    path("api/works/<slug:slug>/", page_api.work_detail, name="api-work"),
    path("welcome/", pages.welcome, name="welcome"),
    path("u/<str:username>/", pages.member_page, name="member"),
    path("u/<str:username>/compare/", pages.compare_pick, name="compare-pick"),
    path("u/<str:username>/compare/<str:other>/", pages.compare_page, name="compare"),
    path("u/<str:username>/follow/", accounts.follow, name="follow"),
    path("u/<str:username>/unfollow/", accounts.unfollow, name="unfollow"),
    path("u/<str:username>/followers/", pages.followers_page, name="followers"),
    path("u/<str:username>/following/", pages.following_page, name="following"),
    # A member's own data: every app's rows, to download, and a ratings import.
    path("u/<str:username>/data/", member_data_views.data_page, name="member-data"),
    path("u/<str:username>/data/all.json", member_data_views.data_json, name="member-data-json"),
    path(
        "u/<str:username>/data/<slug:name>.csv", member_data_views.data_csv, name="member-data-csv"
    ),
    path("u/<str:username>/data/import/", member_data_views.data_import, name="member-data-import"),
    path(
        "u/<str:username>/data/import/matched/",
        member_data_views.data_import_matched,
        name="member-data-import-matched",
    ),
    # Each app's own pages and writes.
    path("", include("catalog.urls")),
    path("", include("votes.urls")),
    path("", include("comments.urls")),
    path("", include("kcry_site.inbox.urls")),
    path("accounts/", include("kcry_site.accounts.urls")),
    path("healthz", health.health, name="health"),
    # An index naming each section's pages; a page holds at most KCRY_SITEMAP_LIMIT URLs.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    # Django's language switch (the form in base.html's footer); the choice is kept in
    # Django's language cookie. CSRF-exempt on purpose: a token in every page's footer
    # would set a per-visitor cookie on anonymous pages and defeat the page cache, and
    # all a forged request could do is change the interface language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/<path:rest>", page_api.not_found, name="api-not-found"),
    # Uploaded posters. Behind a real web server, point it at MEDIA_ROOT instead.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media, name="media"),
]

if settings.KCRY_BENCH_VIEW:
    urlpatterns.append(path("bench/bare", views.bare, name="bench-bare"))

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from catalog.sitemaps import ListSitemap, PersonSitemap, StaticSitemap, WorkSitemap

from . import accounts, health, member_data_views, views

SITEMAPS = {
    "pages": StaticSitemap(["home", "catalog:works", "catalog:lists", "votes:rankings"]),
    "works": WorkSitemap,
    "lists": ListSitemap,
    "people": PersonSitemap,
}

handler400 = views.bad_request
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", health.health, name="health"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("catalog.urls")),
    # A member's own data (mixes votes and comments, so it lives here).
    path("u/<str:username>/data/", member_data_views.data_page, name="member-data"),
    path("u/<str:username>/data/all.json", member_data_views.data_json, name="member-data-json"),
    path(
        "u/<str:username>/data/<slug:name>.csv", member_data_views.data_csv, name="member-data-csv"
    ),
    path("u/<str:username>/data/import/", member_data_views.data_import, name="member-data-import"),
    path("", include("votes.urls")),
    path("", include("comments.urls")),
    # Log-in with a failure limit, and sign-up; the rest of auth's views as they come.
    path("accounts/login/", accounts.ThrottledLoginView.as_view(), name="login"),
    path("accounts/signup/", accounts.SignUpView.as_view(), name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Django's language switch (the form in base.html's footer); the choice is kept in
    # Django's language cookie. CSRF-exempt on purpose: a token in every page's footer
    # would set a per-visitor cookie on anonymous pages and defeat the page cache, and
    # all a forged request could do is change the interface language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Uploaded posters. Behind a real web server, point it at MEDIA_ROOT instead.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media, name="media"),
]

if settings.KCRY_BENCH_VIEW:
    urlpatterns.append(path("bench/bare", views.bare, name="bench-bare"))

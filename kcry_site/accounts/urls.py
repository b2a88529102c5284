"""/accounts/…: Django's auth views (log-in, log-out, password reset) with kcry's
sign-up, throttled password change, settings and deletion. Names are unnamespaced, as
Django's own auth templates and views expect ("login", "password_reset_done", …)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("password_reset/", views.BrakedPasswordResetView.as_view(), name="password_reset"),
    path("password_change/", views.ThrottledPasswordChangeView.as_view(), name="password_change"),
    path("settings/", views.profile_settings, name="account-settings"),
    path("delete/", views.delete_account, name="account-delete"),
    # Before Django's auth URLs, so its "logout" name and path are this view.
    path("logout/", views.LoggedOutView.as_view(), name="logout"),
    path("", include("django.contrib.auth.urls")),
]

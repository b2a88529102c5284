from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class MemberAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Profile", {"fields": ("display_name", "name_ko", "bio", "diary_is_private")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "is_active", "date_joined")

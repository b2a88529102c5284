from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django.contrib import admin, messages
from django.db import models

from .models import ContentNote, Credit, EditorialList, ListEntry, Person, Work
from .posters import make_thumbnail


class PublishActionsMixin:
    actions = ["publish", "unpublish"]

    @admin.action(description="Publish selected", permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.update(is_published=True)
        self.message_user(request, f"Published {count}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        self.message_user(request, f"Unpublished {count}.", messages.SUCCESS)


class CreditInline(admin.TabularInline):
    model = Credit
    autocomplete_fields = ["person"]
    extra = 1


@admin.register(Work)
class WorkAdmin(PublishActionsMixin, admin.ModelAdmin):
    list_display = ["title", "title_ko", "kind", "year", "is_published", "updated"]
    list_filter = ["kind", "is_published", "year"]
    search_fields = ["title", "title_ko", "slug", "people__name", "people__name_ko"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["content_notes"]
    inlines = [CreditInline]
    readonly_fields = ["created", "updated"]
    date_hierarchy = "created"
    # Video links typed without a scheme are taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # The thumbnail is made once, when a new poster arrives, not on every page view.
        if "poster" in form.changed_data:
            make_thumbnail(obj)
        super().save_model(request, obj, form, change)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ko", "slug"]
    search_fields = ["name", "name_ko", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ContentNote)
class ContentNoteAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ListEntryInline(SortableInlineAdminMixin, admin.TabularInline):
    model = ListEntry
    fields = ["position", "is_honourable_mention", "is_also_recommended", "works", "people", "note"]
    autocomplete_fields = ["works", "people"]
    extra = 0


@admin.register(EditorialList)
class EditorialListAdmin(PublishActionsMixin, SortableAdminBase, admin.ModelAdmin):
    list_display = ["title", "source_name", "source_kind", "is_countdown", "is_published"]
    list_filter = ["source_kind", "is_published"]
    search_fields = ["title", "source_name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ListEntryInline]

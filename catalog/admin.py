from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from kcry_site.web import versions

from . import services
from .models import (
    ContentNote,
    Credit,
    EditorialList,
    ListEntry,
    Person,
    Suggestion,
    Work,
    WorkNote,
)
from .posters import delete_files, make_thumbnail, reencode_poster, validate_poster


def set_field_action(name, field, value, *, description, done):
    """An admin action setting `field` to `value` on the selected rows ("Done 3.")."""

    @admin.action(description=description, permissions=["change"])
    def action(self, request, queryset):
        with transaction.atomic():
            # update() sends no signal: bump the site version here, as a staff edit of one
            # row does (kcry_site.receivers), so no kept page or fragment shows the old state.
            versions.bump(versions.SITE)
            count = queryset.update(**{field: value})
        self.message_user(request, f"{done} {count}.", messages.SUCCESS)

    action.__name__ = name
    return action


class PublishActionsMixin:
    actions = ["publish", "unpublish"]
    publish = set_field_action(
        "publish", "is_published", True, description="Publish selected", done="Published"
    )
    unpublish = set_field_action(
        "unpublish", "is_published", False, description="Unpublish selected", done="Unpublished"
    )


class CreditInline(admin.TabularInline):
    model = Credit
    autocomplete_fields = ["person"]
    extra = 1


class WorkAdminForm(forms.ModelForm):
    def clean_poster(self):
        poster = self.cleaned_data.get("poster")
        if not isinstance(poster, UploadedFile):
            return poster  # unchanged (the stored file) or cleared (False)
        # The checks run on the file as uploaded; what is stored is its clean re-encoding.
        validate_poster(poster)
        return reencode_poster(poster)


@admin.register(Work)
class WorkAdmin(PublishActionsMixin, admin.ModelAdmin):
    form = WorkAdminForm
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
        if "poster" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        replaced = []
        if change:
            replaced = Work.objects.filter(pk=obj.pk).values_list("poster", "poster_thumb").get()
        make_thumbnail(obj)
        super().save_model(request, obj, form, change)
        # The replaced (or cleared) poster and its thumbnail go once the new ones are
        # committed: should the save roll back, the row still points at the old files.
        kept = {obj.poster.name, obj.poster_thumb.name}
        stale = [name for name in replaced if name and name not in kept]
        if stale:
            transaction.on_commit(lambda: delete_files(obj.poster.storage, stale))


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


class ListEntryForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("works") and not cleaned.get("people"):
            # An entry with nothing in it would show as an empty rank on the site.
            raise ValidationError("Give the entry at least one work or an artist.")
        return cleaned


class ListEntryInline(SortableInlineAdminMixin, admin.TabularInline):
    model = ListEntry
    form = ListEntryForm
    fields = ["position", "is_honourable_mention", "is_also_recommended", "works", "people", "note"]
    autocomplete_fields = ["works", "people"]
    extra = 0


class TitlesField(forms.CharField):
    """A list of titles (a JSON list in the database) edited one per line; an empty
    list shows as an empty box, not as "[]"."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(title) for title in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [line.strip() for line in value.splitlines() if line.strip()]


class EditorialListAdminForm(forms.ModelForm):
    related_list_titles = TitlesField(
        label="Related list titles",
        required=False,
        help_text="One title per line, as the source names its other lists.",
    )


@admin.register(EditorialList)
class EditorialListAdmin(PublishActionsMixin, SortableAdminBase, admin.ModelAdmin):
    form = EditorialListAdminForm
    list_display = ["title", "source_name", "source_kind", "is_countdown", "is_published"]
    list_filter = ["source_kind", "is_published"]
    search_fields = ["title", "source_name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ListEntryInline]

    class Media:
        css = {"all": ["catalog/admin.css"]}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After a drag (or an added or deleted entry) the ranks follow the new order.
        services.list_entries_renumber(form.instance)


@admin.register(WorkNote)
class WorkNoteAdmin(admin.ModelAdmin):
    """Members' votes on each work's notes; staff lock a note here (counts are read-only).

    Adding a row for a note nobody has voted on yet lets staff lock it before any vote.
    """

    list_display = ["note", "work", "yes", "no", "is_locked", "is_staff_set"]
    list_filter = ["is_locked", "note"]
    list_select_related = ["note", "work"]
    search_fields = ["work__title", "work__title_ko", "note__name"]
    autocomplete_fields = ["work"]
    readonly_fields = ["yes", "no", "created"]
    actions = ["lock", "unlock"]

    def get_queryset(self, request):
        staff_set = Work.content_notes.through.objects.filter(
            work_id=models.OuterRef("work_id"), contentnote_id=models.OuterRef("note_id")
        )
        return super().get_queryset(request).annotate(staff_set=models.Exists(staff_set))

    @admin.display(boolean=True, description="set by staff", ordering="staff_set")
    def is_staff_set(self, row):
        return row.staff_set

    lock = set_field_action(
        "lock",
        "is_locked",
        True,
        description="Lock selected notes (no more votes)",
        done="Locked",
    )
    unlock = set_field_action(
        "unlock", "is_locked", False, description="Unlock selected notes", done="Unlocked"
    )


def https_url_fields(field, **kwargs):
    """Form fields for model fields, taking links typed without a scheme as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class SuggestionDecisionForm(forms.ModelForm):
    """The suggestion's fields (staff may correct them) plus the decision to take.

    The decision's rules live in catalog.services.suggestion_check; the form asks it
    (with staff's corrections applied, nothing written) and shows its error by the field.
    """

    DECISIONS = [
        ("", "Decide later"),
        ("approve", "Approve: create the work and its artist or director"),
        ("merge", "Merge into the work chosen below"),
        ("reject", "Reject, with the reason below"),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, required=False, widget=forms.RadioSelect)

    class Meta:
        model = Suggestion
        fields = [*Suggestion.SUBMITTED_FIELDS, "work", "staff_reason"]
        formfield_callback = https_url_fields  # (at class creation, before the admin's)

    def _post_clean(self):
        super()._post_clean()  # self.instance now carries the corrections
        decision = self.cleaned_data.get("decision")
        if not decision or self.errors:
            return
        try:
            services.suggestion_check(
                suggestion=self.instance,
                decision=decision,
                work=self.cleaned_data.get("work"),
                reason=self.cleaned_data.get("staff_reason", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """The queue of members' suggestions.

    Decide one on its page (approve, merge into a work, reject with a reason), or approve
    several from the list. Every decision goes through catalog.services.
    """

    form = SuggestionDecisionForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "title_ko",
        "artist_or_director",
        "kind",
        "year",
        "member",
        "status",
        "duplicate_count",
        "created",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["member"]
    search_fields = ["title", "title_ko", "artist_or_director", "member__username"]
    autocomplete_fields = ["work"]
    readonly_fields = ["member", "status", "created", "decided", "decided_by", "same_work"]
    date_hierarchy = "created"
    actions = ["approve"]
    fieldsets = [
        (None, {"fields": ["member", "status", "created", "same_work"]}),
        (
            "The suggestion",
            {"fields": Suggestion.SUBMITTED_FIELDS},
        ),
        ("Decision", {"fields": ["decision", "work", "staff_reason", "decided", "decided_by"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_duplicates()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_pending:
            return [*self.readonly_fields, *Suggestion.SUBMITTED_FIELDS, "work", "staff_reason"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and not obj.is_pending:
            kwargs["form"] = forms.ModelForm  # decided: nothing left to choose
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not obj.is_pending:
            decision = ["work", "staff_reason", "decided", "decided_by"]
            return [*fieldsets[:2], ("Decision", {"fields": decision})]
        return fieldsets

    def has_add_permission(self, request):
        return False  # suggestions come from members, through the site

    @admin.display(description="duplicates", ordering="duplicates")
    def duplicate_count(self, suggestion):
        return suggestion.duplicates or ""

    @admin.display(description="other pending suggestions of this work")
    def same_work(self, suggestion):
        others = Suggestion.objects.pending().same_work_as(suggestion).select_related("member")
        return ", ".join(f"#{other.pk} by {other.member}" for other in others) or "none"

    def save_model(self, request, obj, form, change):
        """Corrections and the decision go through catalog.services, in one transaction:
        should the decision be refused now (another moderator was quicker), nothing of
        this edit is stored."""
        if not change or not obj.is_pending:
            return  # suggestions are not added here, and decided ones are read-only
        data = form.cleaned_data
        decision = data.get("decision")
        changes = {
            name: data[name]
            for name in form.changed_data
            if name in services.CORRECTABLE_FIELDS and name in data
        }
        try:
            with transaction.atomic():
                if changes:
                    services.suggestion_correct(suggestion=obj, staff=request.user, changes=changes)
                if decision == "approve":
                    work = services.suggestion_approve(suggestion=obj, staff=request.user)
                    done = f"Approved: “{work.title}” is in the catalog."
                elif decision == "merge":
                    services.suggestion_merge(
                        suggestion=obj,
                        work=data["work"],
                        staff=request.user,
                        reason=data.get("staff_reason", ""),
                    )
                    done = f"Merged into “{data['work'].title}”."
                elif decision == "reject":
                    services.suggestion_reject(
                        suggestion=obj, reason=data["staff_reason"], staff=request.user
                    )
                    done = "Rejected; the member sees your reason."
                else:
                    done = ""
        except ValidationError as error:
            self.message_user(request, "Nothing saved: " + " ".join(error.messages), messages.ERROR)
        else:
            if done:
                self.message_user(request, done)
        obj.refresh_from_db()

    @admin.action(description="Approve selected suggestions", permissions=["change"])
    def approve(self, request, queryset):
        approved = 0
        for suggestion in queryset.pending().order_by("pk"):
            try:
                services.suggestion_approve(suggestion=suggestion, staff=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"#{suggestion.pk}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                approved += 1
        self.message_user(request, f"Approved {approved}.", messages.SUCCESS)

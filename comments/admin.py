"""The moderation queue: flagged comments, with bulk hide / restore / dismiss.

Bulk actions call comments.services (the same functions as the site) and need the
"Can hide and restore comments and dismiss flags" permission. That permission alone is
enough to reach the queue (/admin/comments/comment/?moderation=flagged) and the flags:
it lets the holder see both lists, read-only, without a separate view permission.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from catalog.models import Suggestion

from . import services
from .models import Comment, Flag


class ModerationFilter(admin.SimpleListFilter):
    title = "moderation"
    parameter_name = "moderation"

    def lookups(self, request, model_admin):
        return [
            ("flagged", "Flagged, awaiting review"),
            ("hidden", "Hidden by moderators"),
            ("removed", "Deleted by author"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "flagged":
            return queryset.filter(is_public=True, is_removed=False, flag_count__gt=0)
        if self.value() == "hidden":
            return queryset.filter(is_public=False)
        if self.value() == "removed":
            return queryset.filter(is_removed=True)
        return queryset


class ModerationActions:
    """Bulk actions shared by the comment and flag lists."""

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_view_permission(self, request, obj=None):
        # Moderators must see what they act on; editing still needs the change permission.
        return super().has_view_permission(request, obj) or self.has_moderate_permission(request)

    def comments_of(self, queryset):
        return queryset

    @admin.action(description="Hide selected comments", permissions=["moderate"])
    def hide(self, request, queryset):
        count = services.comment_hide(comments=self.comments_of(queryset), moderator=request.user)
        self.message_user(request, f"Hid {count} comment(s).", messages.SUCCESS)

    @admin.action(
        description="Restore selected comments (and dismiss their flags)",
        permissions=["moderate"],
    )
    def restore(self, request, queryset):
        count = services.comment_restore(
            comments=self.comments_of(queryset), moderator=request.user
        )
        self.message_user(request, f"Restored {count} comment(s).", messages.SUCCESS)

    @admin.action(description="Dismiss flags on selected comments", permissions=["moderate"])
    def dismiss_flags(self, request, queryset):
        count = services.flags_dismiss(comments=self.comments_of(queryset), moderator=request.user)
        self.message_user(request, f"Dismissed {count} flag(s).", messages.SUCCESS)


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    can_delete = False
    fields = ["member", "reason", "text", "created", "dismissed_at", "dismissed_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(ModerationActions, admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author",
        "target_display",
        "created",
        "metoo_count",
        "open_flags",
        "all_flags",
        "is_public",
        "is_removed",
    ]
    list_filter = [ModerationFilter, "is_public", "is_removed", "is_spoiler", "created"]
    list_select_related = ["author", "work", "editorial_list"]
    search_fields = ["body", "author__username", "work__title", "editorial_list__title"]
    date_hierarchy = "created"
    actions = ["hide", "restore", "dismiss_flags"]
    # Where a comment sits (its target, author and place in the thread) and whether it is
    # shown are read-only: hiding and restoring go through the actions above, which call
    # comments.services (and tell the author); deleting is the author's.
    readonly_fields = [
        "work",
        "editorial_list",
        "author",
        "parent",
        "root",
        "depth",
        "is_public",
        "is_removed",
        "created",
        "edited_at",
        "metoo_count",
        "flag_count",
        "wilson_score",
        "moderated_at",
        "moderated_by",
    ]
    inlines = [FlagInline]

    def has_add_permission(self, request):
        return False  # comments are posted on the site, through comments.services

    # --- the moderation queue: /admin/comments/comment/queue/ --------------------------

    QUEUE_SIZE = 20
    QUEUE_DECISIONS = {
        "hide": (services.comment_hide, "Hid the comment; its author is told."),
        "dismiss": (services.flags_dismiss, "Kept the comment and dismissed its flags."),
    }

    def get_urls(self):
        queue = path(
            "queue/",
            self.admin_site.admin_view(self.queue_view),
            name="comments_comment_queue",
        )
        return [queue, *super().get_urls()]

    def queue_view(self, request):
        """Flagged comments, most-flagged first, each in its thread (the comment it
        answers and its neighbours) with one-click decisions through comments.services."""
        if not (request.user.is_staff and self.has_moderate_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            return self._queue_decide(request)
        open_flags = Flag.objects.open().select_related("member").order_by("created")
        flagged = list(
            Comment.objects.filter(is_public=True, is_removed=False, flag_count__gt=0)
            .select_related("author", "work", "editorial_list", "parent__author")
            .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
            .order_by("-flag_count", "-created")[: self.QUEUE_SIZE]
        )
        for comment in flagged:
            comment.neighbours = self._neighbours(comment)
        context = {
            **self.admin_site.each_context(request),
            "title": "Moderation queue",
            "opts": self.model._meta,
            "counts": moderation_counts(),
            "flagged": flagged,
        }
        return TemplateResponse(request, "admin/comments/queue.html", context)

    def _neighbours(self, comment):
        """The reply just before and just after `comment` under the same parent."""
        siblings = Comment.objects.filter(
            work_id=comment.work_id,
            editorial_list_id=comment.editorial_list_id,
            parent_id=comment.parent_id,
        ).select_related("author")
        before = siblings.filter(created__lt=comment.created).order_by("-created").first()
        after = siblings.filter(created__gt=comment.created).order_by("created").first()
        return [c for c in (before, after) if c is not None]

    def _queue_decide(self, request):
        comment = get_object_or_404(Comment, pk=request.POST.get("comment"))
        decision = self.QUEUE_DECISIONS.get(request.POST.get("decision"))
        if decision is None:
            self.message_user(request, "Choose hide or keep.", messages.ERROR)
        else:
            action, done = decision
            action(comments=comment, moderator=request.user)
            self.message_user(request, f"#{comment.pk}: {done}", messages.SUCCESS)
        return redirect(reverse("admin:comments_comment_queue"))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(flags_total=Count("flags"))

    def get_ordering(self, request):
        # The queue shows the most-flagged first when filtering for review.
        if request.GET.get("moderation") == "flagged":
            return ["-flag_count", "-created"]
        return ["-created"]

    @admin.display(description="comment")
    def excerpt(self, obj):
        return "[deleted]" if obj.is_removed else obj.body[:80]

    @admin.display(description="on")
    def target_display(self, obj):
        return obj.target

    @admin.display(description="open flags", ordering="flag_count")
    def open_flags(self, obj):
        return obj.flag_count

    @admin.display(description="all flags", ordering="flags_total")
    def all_flags(self, obj):
        return obj.flags_total


@admin.register(Flag)
class FlagAdmin(ModerationActions, admin.ModelAdmin):
    list_display = ["comment", "member", "reason", "created", "is_open"]
    list_filter = ["reason", ("dismissed_at", admin.EmptyFieldListFilter), "created"]
    list_select_related = ["comment__author", "comment__work", "comment__editorial_list", "member"]
    search_fields = ["text", "comment__body", "member__username"]
    # Flags are members' reports: read-only here, dismissed through the actions (which
    # keep the comment's open-flag count and score in step).
    readonly_fields = [
        "comment",
        "member",
        "reason",
        "text",
        "created",
        "dismissed_at",
        "dismissed_by",
    ]
    actions = ["hide", "restore", "dismiss_flags"]

    def has_add_permission(self, request):
        return False

    def comments_of(self, queryset):
        return Comment.objects.filter(Q(pk__in=queryset.values("comment_id")))

    @admin.display(boolean=True, description="open")
    def is_open(self, obj):
        return obj.is_open


def moderation_counts():
    """What waits for staff: open flags and pending suggestions (the queue and the index)."""
    return {
        "flags": Flag.objects.open().count(),
        "flagged_comments": Comment.objects.filter(
            is_public=True, is_removed=False, flag_count__gt=0
        ).count(),
        "suggestions": Suggestion.objects.pending().count(),
    }


def _index_with_counts(index):
    """The admin index, with the counts of what waits for moderators above the apps."""

    def view(request, extra_context=None):
        extra = dict(extra_context or {})
        if request.user.is_staff and request.user.has_perm("comments.moderate_comment"):
            extra["moderation_counts"] = moderation_counts()
        return index(request, extra_context=extra)

    return view


admin.site.index = _index_with_counts(admin.site.index)
admin.site.index_template = "admin/comments/index.html"

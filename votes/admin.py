"""Admin: ratings and reactions are read and removed through the services; figures are
read-only."""

from django.contrib import admin

from . import services
from .models import ListReaction, ListReactionCounts, RankingBaseline, Rating, WorkStats


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["work", "member", "tears", "rated_at"]
    list_filter = ["tears"]
    search_fields = ["work__title", "work__title_ko", "member__username"]
    list_select_related = ["work", "member"]
    date_hierarchy = "rated_at"

    # Deleting goes through the service so the work's figures follow.
    def delete_model(self, request, obj):
        services.rating_remove(obj)

    def delete_queryset(self, request, queryset):
        for rating in queryset:
            services.rating_remove(rating)


@admin.register(WorkStats)
class WorkStatsAdmin(ReadOnlyAdmin):
    list_display = ["work", "n", "total", "score", "c0", "c1", "c2", "c3", "c4", "c5"]
    search_fields = ["work__title", "work__title_ko"]
    list_select_related = ["work"]
    ordering = ["-score"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ListReaction)
class ListReactionAdmin(ReadOnlyAdmin):
    list_display = ["editorial_list", "member", "reaction", "created"]
    list_filter = ["reaction"]
    list_select_related = ["editorial_list", "member"]

    # Like ratings, deleting goes through the service so the list's counts follow. It
    # must be allowed: admin refuses to delete a member whose rows it could not delete.
    def delete_model(self, request, obj):
        services.reaction_remove(obj)

    def delete_queryset(self, request, queryset):
        for answer in queryset:
            services.reaction_remove(answer)


@admin.register(ListReactionCounts)
class ListReactionCountsAdmin(ReadOnlyAdmin):
    list_display = ["editorial_list", "sobbing", "heartbroken", "moved", "comforted", "unmoved"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RankingBaseline)
class RankingBaselineAdmin(ReadOnlyAdmin):
    list_display = ["mean", "weight", "ratings", "computed_at"]

    def has_delete_permission(self, request, obj=None):
        return False

from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = "Tear ratings"

    def ready(self):
        from catalog import api as catalog_api

        from .api import work_rating_section

        if work_rating_section not in catalog_api.WORK_DETAIL_SECTIONS:
            catalog_api.WORK_DETAIL_SECTIONS.append(work_rating_section)

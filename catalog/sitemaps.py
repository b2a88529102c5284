"""Sitemaps of the public catalog pages.

kcry_site/urls.py serves /sitemap.xml as a sitemap index naming one sitemap per section
(/sitemap-works.xml?p=2…), each page at most `limit` URLs read with only the columns
they need, so no response grows with the catalogue.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import EditorialList, Person, Work


class BoundedSitemap(Sitemap):
    @property
    def limit(self):
        return settings.KCRY_SITEMAP_LIMIT


class WorkSitemap(BoundedSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Work.objects.published().order_by("pk").only("slug", "updated")

    def lastmod(self, work):
        return work.updated


class PersonSitemap(BoundedSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Person.objects.order_by("pk").only("slug")


class ListSitemap(BoundedSitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return EditorialList.objects.published().order_by("pk").only("slug", "updated")

    def lastmod(self, editorial_list):
        return editorial_list.updated


class StaticSitemap(Sitemap):
    """Pages without an object of their own, named by URL name."""

    changefreq = "daily"
    priority = 0.6

    def __init__(self, names=("home", "catalog:works", "catalog:lists")):
        self.names = list(names)

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)

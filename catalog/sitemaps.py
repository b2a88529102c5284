"""Sitemaps of the public catalog pages; kcry_site/urls.py serves them at /sitemap.xml."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import EditorialList, Person, Work


class WorkSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Work.objects.published().order_by("pk").only("slug", "updated")

    def lastmod(self, work):
        return work.updated


class PersonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Person.objects.order_by("pk").only("slug")


class ListSitemap(Sitemap):
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

"""The public pages every validator checks, with data that fills each of their parts."""

from catalog.models import Work
from catalog.posters import make_thumbnail
from tests.images import image_upload

# The work whose page is checked: content notes, credits in two scripts, on two lists.
WORK = "haru-haru"


def make_site_data(founding_lists) -> dict:
    """Seed content plus a poster, so thumbnails and the poster markup are checked too."""
    work = Work.objects.get(slug=WORK)
    work.poster = image_upload(size=(600, 900))
    make_thumbnail(work)
    work.save()
    return {"work": work}


def public_pages(data) -> dict[str, str]:
    """name → path of every public page template, each with real content."""
    return {
        "home": "/",
        "works": "/works/",
        "works-filtered": "/works/?kind=song",
        "work": f"/works/{WORK}/",
        "person": "/people/bigbang/",
        "lists": "/lists/",
        "list-countdown": "/lists/top-10-saddest-kpop-mvs/",
        "list-also-recommended": "/lists/tissues-and-tears-mvs/",
        "search": "/search/?q=눈",
        "search-empty": "/search/",
    }

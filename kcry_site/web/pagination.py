"""Strict pagination: a malformed page number is a client error, not page 1."""

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def paginate(request, object_list, per_page):
    paginator = Paginator(object_list, per_page)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(raw)
    except PageNotAnInteger:
        raise BadRequest(_("page: '%(raw)s' is not a page number.") % {"raw": raw[:20]}) from None
    except EmptyPage:
        # Shortened like the message above: a 4,000-digit number is still a number.
        raise Http404(
            _("There is no page %(raw)s (last page: %(last)s).")
            % {"raw": raw[:20], "last": paginator.num_pages}
        ) from None

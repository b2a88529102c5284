"""Large reply trees, stored in one bulk insert each (explicit primary keys)."""

from django.db.models import Max

from comments.models import Comment
from tests.factories import UserFactory


def _next_pk():
    return (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reply_chain(top, length):
    """`length` replies under `top`, each answering the one before (top → r1 → r2 → …)."""
    author = UserFactory()
    first = _next_pk()
    Comment.objects.bulk_create(
        Comment(
            pk=first + n,
            work=top.work,
            editorial_list=top.editorial_list,
            author=author,
            body=f"deeper {n + 1}",
            parent_id=first + n - 1 if n else top.pk,
            root=top,
            depth=n + 1,
        )
        for n in range(length)
    )
    return list(Comment.objects.filter(root=top).order_by("pk"))


def reply_tree(top, count):
    """`count` replies under `top`: every third answers `top`, the others the reply before."""
    authors = UserFactory.create_batch(5)
    first = _next_pk()
    rows = []
    for n in range(count):
        answers_top = n % 3 == 0
        rows.append(
            Comment(
                pk=first + n,
                work=top.work,
                editorial_list=top.editorial_list,
                author=authors[n % 5],
                body=f"reply {n + 1} https://example.com/{n}",
                parent_id=top.pk if answers_top else first + n - 1,
                root=top,
                depth=1 if answers_top else 1 + n % 3,
            )
        )
    Comment.objects.bulk_create(rows)

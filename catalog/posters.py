"""Poster images: strict validation on upload and a thumbnail made once.

Only real JPEG, PNG or WebP files are accepted, within a byte and a pixel budget.
Pillow reads just the header to learn the size, so an oversized "decompression
bomb" is refused before it is ever decoded.
"""

import warnings
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_poster(upload):
    max_bytes = settings.KCRY_POSTER_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            "This poster is %(size)s MB; the limit is %(limit)s MB.",
            code="poster_too_large",
            params={"size": round(upload.size / 2**20, 1), "limit": round(max_bytes / 2**20, 1)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than fails) between 1x and 2x its own limit; treat
            # both the same way: the pixel budget below decides.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                if width * height <= settings.KCRY_POSTER_MAX_PIXELS:
                    image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This file is not a readable JPEG, PNG or WebP image.", code="poster_unreadable"
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            "Posters must be JPEG, PNG or WebP images (this one is %(format)s).",
            code="poster_format",
            params={"format": image_format or "unknown"},
        )
    if width * height > settings.KCRY_POSTER_MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _too_many_pixels(width=None, height=None):
    limit = settings.KCRY_POSTER_MAX_PIXELS
    if width:
        message = "This poster is %(width)s×%(height)s pixels; the limit is %(limit)s pixels."
    else:
        message = (
            "This image is far larger than the %(limit)s-pixel limit (possible decompression bomb)."
        )
    return ValidationError(
        message,
        code="poster_pixels",
        params={"width": width, "height": height, "limit": f"{limit:,}"},
    )


def make_thumbnail(work):
    """Render the work's poster down to a small JPEG stored beside it."""
    if not work.poster:
        work.poster_thumb = ""
        return
    work.poster.open("rb")
    with Image.open(work.poster) as image:
        image = image.convert("RGB")
        image.thumbnail(settings.KCRY_POSTER_THUMB_SIZE)
        buffer = BytesIO()
        image.save(buffer, format="JPEG", quality=85, optimize=True)
    name = PurePath(work.poster.name).stem + ".jpg"
    work.poster_thumb.save(name, ContentFile(buffer.getvalue()), save=False)

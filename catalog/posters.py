"""Poster images: strict validation on upload, a clean re-encoded copy, a thumbnail.

Only real JPEG, PNG or WebP files are accepted, within a byte and a pixel budget and
above a minimum size. Pillow reads just the header to learn the size, so an oversized
"decompression bomb" is refused before it is ever decoded.

What is stored is never the uploaded file itself but Pillow's re-encoding of its pixels
(`reencode_poster`): bytes appended to an image (HTML, a script) and metadata (EXIF with
a camera's GPS position) are dropped, and the file is named after the format found
inside it, so a PNG called "poster.pdf" is stored and served as a .png.
"""

import warnings
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
# EXIF orientations 5-8 turn the picture a quarter: width and height swap when upright.
QUARTER_TURNS = {5, 6, 7, 8}
EXIF_ORIENTATION = 0x0112


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
        raise _unreadable() from None
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
    min_width, min_height = settings.KCRY_POSTER_MIN_SIZE
    upright = _upright_size(upload)
    if upright[0] < min_width or upright[1] < min_height:
        # A thumbnail or a favicon would show blurred on every card and share image.
        raise ValidationError(
            _(
                "This poster is %(width)s×%(height)s pixels; posters must be at least "
                "%(min_width)s×%(min_height)s pixels."
            ),
            code="poster_too_small",
            params={
                "width": upright[0],
                "height": upright[1],
                "min_width": min_width,
                "min_height": min_height,
            },
        )


def _upright_size(upload):
    """(width, height) as the picture is shown, after its EXIF orientation.

    Opened anew: a verified image cannot be read further, and the pixel budget is
    already checked (reading a PNG's EXIF may decode it)."""
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if image.getexif().get(EXIF_ORIENTATION) in QUARTER_TURNS:
                return height, width
            return width, height
    except (OSError, SyntaxError, ValueError):
        raise _unreadable() from None
    finally:
        upload.seek(0)


def _unreadable():
    return ValidationError(
        _("This file is not a readable JPEG, PNG or WebP image."), code="poster_unreadable"
    )


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


def reencode_poster(upload):
    """A validated upload's pixels, re-encoded in the same format without metadata.

    Returns a ContentFile named "<uploaded name>.<png|jpg|webp>" after the format found
    in the file. The EXIF orientation is applied first, so phone photos stay upright once
    their EXIF is gone; the colour profile is kept, since colours depend on it.
    Raises ValidationError when the pixels cannot be decoded (e.g. a truncated JPEG,
    which passes the header checks of validate_poster).
    """
    upload.seek(0)
    try:
        with Image.open(upload) as original:
            image_format = original.format
            options = _encoder_options(original)
            image = ImageOps.exif_transpose(original)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _unreadable() from None
    finally:
        upload.seek(0)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    # Encoders copy some of the original's info unasked (a JPEG's comment, say): keep only
    # the transparency that palette PNGs need; the encoders write what `options` names.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    name = PurePath(upload.name or "poster").stem + EXTENSIONS[image_format]
    return ContentFile(buffer.getvalue(), name=name)


def _encoder_options(original):
    options = {}
    if icc_profile := original.info.get("icc_profile"):
        options["icc_profile"] = icc_profile
    if original.format == "JPEG":
        # The original's quantisation tables and subsampling keep its quality (and about
        # its byte size): a fixed quality would blur a fine poster or bloat a rough one.
        options["qtables"] = original.quantization
        options["subsampling"] = JpegImagePlugin.get_sampling(original)
        options["optimize"] = True
    elif original.format == "PNG":
        options["optimize"] = True
    elif original.format == "WEBP":
        options["quality"] = 90
    return options


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


def delete_files(storage, names):
    """Remove files of replaced posters; one that is already gone is no error."""
    for name in names:
        storage.delete(name)

"""Real images made with Pillow, and fakes, for upload tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(name="poster.png", size=(300, 450), image_format="PNG", color=(40, 80, 160)):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(
        image_format, "application/octet-stream"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def fake_upload(name="poster.png", content=b"<?php echo 'not an image'; ?>"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def png_claiming_size(width, height):
    """A few hundred bytes of PNG whose header claims width x height pixels.

    Decoding it would need gigabytes; a safe validator must refuse it from the
    header alone.
    """
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    content = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", content, content_type="image/png")


def noisy_png(size=(200, 200)):
    """A PNG that does not compress well, for byte-size limits."""
    buffer = BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, format="PNG")
    return SimpleUploadedFile("noise.png", buffer.getvalue(), content_type="image/png")

"""Images are stored here, never hot-linked: checked by Pillow, resized, stripped of metadata.

An image from a page preview or an upload is decoded by Pillow (so a file that merely
claims to be an image is refused), limited in pixels (decompression bombs), shrunk to a
width social networks use, and re-encoded: JPEG for photos, PNG where transparency
matters. Re-encoding drops EXIF data such as the GPS position of a phone photo.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ambassade.core.outbound import OutboundError, fetch

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_BYTES = 8_000_000
MAX_PIXELS = 40_000_000
MAX_WIDTH = 1200
# The widths pages ask for with srcset (a phone's card, a phone at 2x, the original).
WIDTHS = (360, 720, MAX_WIDTH)
logger = logging.getLogger(__name__)


class ImageError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StoredImage:
    name: str  # path in the default storage
    width: int
    height: int
    content_type: str


def _decode(data: bytes) -> Image.Image:
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(
            "too_large", f"The image is larger than {MAX_IMAGE_BYTES // 1_000_000} MB."
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageError("bad_type", _("Only JPEG, PNG, WebP and GIF images are accepted."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageError("too_many_pixels", _("The image has too many pixels."))
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ImageError("not_an_image", _("This file is not a readable image.")) from None
    return image


def store(data: bytes, *, folder: str) -> StoredImage:
    image = _decode(data)
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # the first frame of an animation is the card
    has_alpha = image.mode in {"RGBA", "LA"} or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    if image.width > MAX_WIDTH:
        height = round(image.height * MAX_WIDTH / image.width)
        image = image.resize((MAX_WIDTH, max(1, height)), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if has_alpha:
        image.save(output, "PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        image.save(output, "JPEG", quality=85, optimize=True, progressive=True)
        extension, content_type = "jpg", "image/jpeg"
    encoded = output.getvalue()
    digest = hashlib.sha256(encoded).hexdigest()[:24]
    name = default_storage.save(f"{folder}/{digest}.{extension}", ContentFile(encoded))
    sizes(name)  # the smaller widths now, rather than on the first page that shows it
    return StoredImage(name=name, width=image.width, height=image.height, content_type=content_type)


@dataclass(frozen=True)
class Size:
    name: str  # path in the default storage
    width: int
    height: int

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


def size_name(name: str, width: int) -> str:
    stem, _dot, extension = name.rpartition(".")
    return f"{stem}-{width}w.{extension}"


def _make_size(original: Image.Image, name: str, width: int) -> Size:
    height = max(1, round(original.height * width / original.width))
    target = size_name(name, width)
    if not default_storage.exists(target):
        resized = original.resize((width, height), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        if name.endswith(".png"):
            resized.save(output, "PNG", optimize=True)
        else:
            resized.convert("RGB").save(output, "JPEG", quality=82, optimize=True, progressive=True)
        saved = default_storage.save(target, ContentFile(output.getvalue()))
        if saved != target:  # another process made it first: keep theirs
            default_storage.delete(saved)
    return Size(target, width, height)


def sizes(name: str) -> list[Size]:
    """The widths a stored image is served at, smallest first, the original last; made
    from the re-encoded original when missing. Names are content hashes, so the answer
    never changes and is cached. [] when the file is missing or unreadable."""
    key = f"image-sizes:{name}"
    found = cache.get(key)
    if found is not None:
        return [Size(*row) for row in found]
    try:
        with default_storage.open(name) as stored, Image.open(stored) as original:
            original.load()
            made = [_make_size(original, name, width) for width in WIDTHS if width < original.width]
            made.append(Size(name, original.width, original.height))
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        logger.warning("image sizes not made for %s", name)
        return []
    cache.set(key, [(size.name, size.width, size.height) for size in made], timeout=None)
    return made


def store_from_url(
    url: str, *, folder: str, allowed_hosts: frozenset[str] = frozenset()
) -> StoredImage:
    try:
        response = fetch(url, allowed_hosts=allowed_hosts, max_bytes=MAX_IMAGE_BYTES)
    except OutboundError as error:
        raise ImageError(error.code, error.message) from None
    if response.status >= 400:
        raise ImageError(
            "bad_status", f"The image address answered with the error {response.status}."
        )
    return store(response.body, folder=folder)

"""``{% responsive_image name alt sizes %}``: a stored image at the size it is shown."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ambassade.content import images

register = template.Library()


@register.simple_tag
def responsive_image(name: str, alt: str, sizes: str, css_class: str = "") -> str:
    """An ``<img>`` with a srcset of the image's widths (content/images.py) and its
    intrinsic size, so that a phone downloads the 360- or 720-pixel copy, not the
    original, and the page does not jump when it arrives."""
    if not name:
        return ""
    found = images.sizes(name)
    if not found:
        return ""
    largest = found[-1]
    srcset = ", ".join(f"{size.url} {size.width}w" for size in found)
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="lazy" decoding="async">',
        css_class,
        largest.url,
        srcset,
        sizes,
        largest.width,
        largest.height,
        alt,
    )

"""Checks and re-encodes uploaded photos and evidence files.

An upload is accepted only when its content is a JPEG, PNG or WebP image that Pillow can verify and fully
decode, within the size and pixel limits, and its file name ends in an extension of that format. The stored
copy is re-encoded: the EXIF location (GPS) is removed unless the officer chose to keep it, the picture is
turned upright, and a display-size copy without any metadata is made alongside it.

Memory: a decoded picture takes 3 to 4 bytes a pixel, whatever its file size. The stored copy is at most
STORED_MAX_SIDE pixels on its longest side; a JPEG (what phone cameras write) is decoded already reduced by
libjpeg (Pillow's `draft`), so a 50-megapixel JPEG costs what a 12-megapixel one does. PNG and WebP can only
be decoded in full, so they have lower pixel ceilings (VISITS_MAX_PNG_PIXELS, 12 megapixels, and
VISITS_MAX_WEBP_PIXELS, 5 megapixels). The picture is turned upright in place and the display copy is
resized from it, not copied first. bench/uploads.py measures the largest of each.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel photo; larger is refused before decoding
# PNG and WebP are decoded in full, so their ceilings are lower (bench/uploads.py: a 12-megapixel PNG costs a
# worker ~120 MB, a 5-megapixel WebP ~130 MB: Pillow's WebP decoder and encoder take ~25 bytes a pixel).
DEFAULT_MAX_FULL_DECODE_PIXELS = {"PNG": 12_000_000, "WEBP": 5_000_000}
STORED_MAX_SIDE = (
    4096  # longest side of the stored copy: a 12-megapixel phone photo (4032 x 3024) is kept whole
)
DISPLAY_SIZE = 1600  # longest side of the display copy, in pixels
REDUCED_FORMATS = ("JPEG", "MPO")  # libjpeg decodes at 1/2, 1/4 or 1/8 of the size

# Pillow format name -> (content type, extensions a file of that format may carry, extension we store)
FORMATS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "JPEG": ("image/jpeg", (".jpg", ".jpeg", ".jfif"), ".jpg"),
    "MPO": ("image/jpeg", (".jpg", ".jpeg"), ".jpg"),  # phone cameras write multi-picture JPEGs
    "PNG": ("image/png", (".png",), ".png"),
    "WEBP": ("image/webp", (".webp",), ".webp"),
}
ACCEPT_IMAGES = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
ACCEPT_EVIDENCE = f"{ACCEPT_IMAGES},application/pdf,.pdf"


def max_upload_bytes() -> int:
    return int(getattr(settings, "VISITS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_image_pixels(image_format: str = "JPEG") -> int:
    limit = int(getattr(settings, "VISITS_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))
    if image_format not in DEFAULT_MAX_FULL_DECODE_PIXELS:
        return limit
    setting = f"VISITS_MAX_{image_format}_PIXELS"  # VISITS_MAX_PNG_PIXELS, VISITS_MAX_WEBP_PIXELS
    return min(limit, int(getattr(settings, setting, DEFAULT_MAX_FULL_DECODE_PIXELS[image_format])))


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size within a square of `side` pixels, keeping the proportions."""
    width, height = size
    scale = side / max(width, height)
    return max(round(width * scale), 1), max(round(height * scale), 1)


@dataclass
class ProcessedImage:
    image: ContentFile
    display: ContentFile
    content_type: str
    width: int
    height: int
    latitude: Decimal | None
    longitude: Decimal | None


def check_size(upload: Any) -> None:
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Send a smaller file."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def _read(upload: Any) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _open_checked(data: bytes, filename: str) -> tuple[Image.Image, str]:
    """The decoded image and its Pillow format, or ValidationError with a message the officer understands."""
    not_an_image = ValidationError(
        _("This file is not a photo Kongtun accepts: send a JPEG, PNG or WebP image."), code="not_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format or ""
                width, height = probe.size
                if image_format not in FORMATS:
                    raise not_an_image
                _check_pixels(width, height, image_format)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            _check_pixels(*image.size, image_format)
            if max(image.size) > STORED_MAX_SIDE:
                if image_format in REDUCED_FORMATS:
                    image.draft(image.mode, _fit(image.size, STORED_MAX_SIDE))  # decode reduced
                image.load()
                image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))  # replaces the pixels in place
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise not_an_image from exc

    extension = Path(filename).suffix.lower()
    _content_type, extensions, _stored = FORMATS[image_format]
    if extension not in extensions:
        raise ValidationError(
            _(
                "The file name ends in “%(extension)s” but the file is a %(format)s image. "
                "Rename it to end in %(expected)s, or send the original file."
            ),
            code="false_extension",
            params={
                "extension": extension or _("(no extension)"),
                "format": "JPEG" if image_format == "MPO" else image_format,
                "expected": extensions[0],
            },
        )
    return image, image_format


def _too_many_pixels(image_format: str = "JPEG") -> ValidationError:
    return ValidationError(
        _("The picture is too large (more than %(megapixels)s megapixels). Send a smaller picture."),
        code="too_many_pixels",
        params={"megapixels": max_image_pixels(image_format) // 1_000_000},
    )


def _check_pixels(width: int, height: int, image_format: str) -> None:
    if width <= 0 or height <= 0:
        raise ValidationError(_("The picture has no pixels."), code="not_image")
    if width * height > max_image_pixels(image_format):
        raise _too_many_pixels(image_format)


def _gps_degrees(values: Any, ref: Any) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(value) for value in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if str(ref).upper() in ("S", "W"):
        decimal = -decimal
    return Decimal(f"{decimal:.6f}")


def read_location(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None, None
    latitude = _gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = _gps_degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return None, None
    return latitude, longitude


def _encode(image: Image.Image, image_format: str, exif: Image.Exif | None) -> bytes:
    output = io.BytesIO()
    options: dict[str, Any] = {}
    if exif is not None and len(exif):
        options["exif"] = exif.tobytes()
    if image_format in ("JPEG", "MPO"):
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=90, optimize=True, **options)
    elif image_format == "PNG":
        image.save(output, "PNG", optimize=True, **options)
    else:
        image.save(output, "WEBP", quality=90, **options)
    return output.getvalue()


def process_photo(upload: Any, *, keep_location: bool) -> ProcessedImage:
    """Check an uploaded photo and return the stored copy and the display copy (see the module docstring)."""
    check_size(upload)
    image, image_format = _open_checked(_read(upload), upload.name)
    with image:
        exif = image.getexif()
        latitude, longitude = read_location(exif) if keep_location else (None, None)
        ImageOps.exif_transpose(image, in_place=True)  # no copy of the pixels kept beside them
        upright = image
        # Only the colour profile travels with the pixels; XMP and text chunks may hold a location too.
        upright.info = {key: upright.info[key] for key in ("icc_profile", "dpi") if key in upright.info}
        exif.pop(ExifTags.Base.Orientation, None)  # the pixels are upright now
        if not keep_location:
            exif.pop(ExifTags.Base.GPSInfo, None)
        details = exif.get_ifd(ExifTags.IFD.Exif)
        for tag in (ExifTags.Base.MakerNote, ExifTags.Base.UserComment):
            details.pop(tag, None)
        content_type, _extensions, extension = FORMATS[image_format]
        stored = _encode(upright, image_format, exif)

        if max(upright.size) > DISPLAY_SIZE:
            display = upright.resize(
                _fit(upright.size, DISPLAY_SIZE), Image.Resampling.BICUBIC, reducing_gap=2.0
            )  # as thumbnail() would, without copying the full-size pixels first
        else:
            display = upright.copy()
        if display.mode not in ("RGB", "L"):
            background = Image.new("RGB", display.size, "white")
            background.paste(display, mask=display.convert("RGBA").getchannel("A"))
            display = background
        display_bytes = _encode(display, "JPEG", None)
        width, height = upright.size
    return ProcessedImage(
        image=ContentFile(stored, name=f"photo{extension}"),
        display=ContentFile(display_bytes, name="display.jpg"),
        content_type=content_type,
        width=width,
        height=height,
        latitude=latitude,
        longitude=longitude,
    )


def process_evidence(upload: Any) -> tuple[ContentFile, str]:
    """A follow-up's evidence: a PDF (checked by its content) or a photo (re-encoded without location)."""
    check_size(upload)
    data = _read(upload)
    extension = Path(upload.name).suffix.lower()
    if data.startswith(b"%PDF-"):
        if extension != ".pdf":
            raise ValidationError(
                _("The file name ends in “%(extension)s” but the file is a PDF. Rename it to end in .pdf."),
                code="false_extension",
                params={"extension": extension or _("(no extension)")},
            )
        return ContentFile(data, name="evidence.pdf"), "application/pdf"
    if extension == ".pdf":
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")
    try:
        photo = process_photo(upload, keep_location=False)
    except ValidationError as exc:
        if exc.code == "not_image":
            raise ValidationError(
                _("Evidence must be a PDF document or a JPEG, PNG or WebP image."), code="not_evidence"
            ) from exc
        raise
    return photo.image, photo.content_type

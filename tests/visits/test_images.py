"""Photo uploads: only real JPEG/PNG/WebP images within limits, location removed unless kept."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image

from visits import services
from visits.images import process_evidence, process_photo
from visits.models import ReportPhoto

from .factories import gps_exif, image_bytes, noise_png, read_image, upload


def add(report, user, name, data, **kwargs):
    return services.photo_add(user=user, report=report, upload=upload(name, data), **kwargs)


@pytest.mark.parametrize(("image_format", "name"), [("JPEG", "a.jpg"), ("PNG", "b.png"), ("WEBP", "c.webp")])
def test_jpeg_png_and_webp_are_accepted_with_a_display_copy(report, officer, image_format, name):
    photo = add(report, officer, name, image_bytes(image_format, size=(3200, 1500)), caption="ประชุม")
    assert (photo.width, photo.height) == (3200, 1500)  # 4.8 megapixels: under the WebP ceiling too
    assert read_image(photo.image).format == image_format
    display = read_image(photo.display)
    assert display.format == "JPEG"
    assert max(display.size) == 1600
    assert photo.caption == "ประชุม"
    assert re.fullmatch(r"visits/photos/\d{4}/\d{2}/[0-9a-f]{32}\.\w+", photo.image.name)  # a random name


def test_location_is_removed_unless_the_officer_keeps_it(report, officer):
    data = image_bytes(exif=gps_exif())
    stripped = add(report, officer, "field.jpg", data)
    exif = read_image(stripped.image).getexif()
    assert exif.get(ExifTags.Base.Make) == "TestCam"  # other metadata stays
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert stripped.latitude is None
    assert not read_image(stripped.display).getexif()

    kept = add(report, officer, "field.jpg", data, keep_location=True)
    assert read_image(kept.image).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert (str(kept.latitude), str(kept.longitude)) == ("18.790000", "98.985000")
    assert not read_image(kept.display).getexif()  # the display copy never carries metadata


def test_phone_photos_are_turned_upright(report, officer):
    photo = add(report, officer, "side.jpg", image_bytes(size=(64, 48), exif=gps_exif(orientation=6)))
    assert (photo.width, photo.height) == (48, 64)
    assert ExifTags.Base.Orientation not in read_image(photo.image).getexif()


def test_a_text_file_renamed_jpg_is_refused(report, officer):
    with pytest.raises(ValidationError) as error:
        add(report, officer, "notes.jpg", b"Meeting notes, not a photo.\n" * 20)
    assert error.value.code == "not_image"
    assert "JPEG, PNG หรือ WebP" in error.value.messages[0]
    assert not ReportPhoto.objects.exists()


@pytest.mark.parametrize(
    ("image_format", "name"),
    [("PNG", "photo.jpg"), ("JPEG", "photo.png"), ("JPEG", "photo"), ("WEBP", "x.gif")],
)
def test_an_image_with_a_false_extension_is_refused(report, officer, image_format, name):
    with pytest.raises(ValidationError) as error:
        add(report, officer, name, image_bytes(image_format))
    assert error.value.code == "false_extension"
    assert not ReportPhoto.objects.exists()


def test_other_image_formats_are_refused(report, officer):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(ValidationError) as error:
        add(report, officer, "anim.gif", buffer.getvalue())
    assert error.value.code == "not_image"


def test_a_truncated_image_is_refused(report, officer):
    data = image_bytes("PNG", size=(300, 300))
    with pytest.raises(ValidationError) as error:
        add(report, officer, "cut.png", data[: len(data) // 2])
    assert error.value.code == "not_image"


def test_an_oversized_file_is_refused(report, officer, settings):
    settings.VISITS_MAX_UPLOAD_BYTES = 100_000
    data = noise_png((200, 200))
    assert len(data) > 100_000
    with pytest.raises(ValidationError) as error:
        add(report, officer, "big.png", data)
    assert error.value.code == "too_large"
    assert filesizeformat(100_000) in error.value.messages[0]


def test_the_default_limit_is_ten_megabytes(report, officer):
    data = noise_png((1900, 1900))  # about 10.8 MB of incompressible pixels
    assert len(data) > 10 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        add(report, officer, "big.png", data)
    assert error.value.code == "too_large"


def test_a_decompression_bomb_is_refused_before_decoding(report, officer):
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")  # 144 megapixels in a few kilobytes
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ValidationError) as error:
        add(report, officer, "bomb.png", buffer.getvalue())
    assert error.value.code == "too_many_pixels"


def test_the_pixel_limit_is_a_setting(report, officer, settings):
    settings.VISITS_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(ValidationError) as error:
        add(report, officer, "a.jpg", image_bytes(size=(40, 40)))
    assert error.value.code == "too_many_pixels"


def test_photos_cannot_be_added_to_a_submitted_report(report, officer):
    services.report_submit(user=officer, report=report)
    with pytest.raises(ValidationError):
        add(report, officer, "a.jpg", image_bytes())


def test_outsiders_cannot_add_photos(report, outsider):
    with pytest.raises(PermissionDenied):
        add(report, outsider, "a.jpg", image_bytes())


def test_removing_a_photo_deletes_its_files(report, officer, django_capture_on_commit_callbacks):
    photo = add(report, officer, "a.jpg", image_bytes())
    storage, names = photo.image.storage, (photo.image.name, photo.display.name)
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(user=officer, photo=photo)
    assert not any(storage.exists(name) for name in names)


def test_evidence_may_be_a_pdf_or_a_photo():
    _content, content_type = process_evidence(upload("minutes.pdf", b"%PDF-1.4\n%test\n", "application/pdf"))
    assert content_type == "application/pdf"
    with pytest.raises(ValidationError):
        process_evidence(upload("minutes.pdf", b"not a pdf", "application/pdf"))
    with pytest.raises(ValidationError):
        process_evidence(upload("minutes.jpg", b"%PDF-1.4\n", "image/jpeg"))
    _content, photo_type = process_evidence(upload("a.png", image_bytes("PNG", exif=gps_exif()), "image/png"))
    assert photo_type == "image/png"


def test_process_photo_reads_the_file_again_from_the_start():
    data = upload("a.jpg", image_bytes())
    data.read(10)
    assert process_photo(data, keep_location=False).width == 64

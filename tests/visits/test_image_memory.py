"""Photos are decoded within a memory bound: JPEGs decoded reduced, PNG and WebP under a lower ceiling."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, JpegImagePlugin

from visits import images, services

from .factories import gps_exif, image_bytes, read_image, upload


def add(report, user, name, data, **kwargs):
    return services.photo_add(user=user, report=report, upload=upload(name, data), **kwargs)


def test_a_7000_pixel_square_png_is_refused_by_default(report, officer):
    buffer = io.BytesIO()
    Image.new("1", (7000, 7000)).save(buffer, "PNG")  # 49 megapixels: under the JPEG ceiling
    with pytest.raises(ValidationError) as error:
        add(report, officer, "square.png", buffer.getvalue())
    assert error.value.code == "too_many_pixels"
    assert "12 ล้านพิกเซล" in error.value.messages[0]


@pytest.mark.parametrize(("image_format", "name"), [("PNG", "b.png"), ("WEBP", "c.webp")])
def test_formats_decoded_in_full_have_their_own_ceiling(report, officer, settings, image_format, name):
    setattr(settings, f"VISITS_MAX_{image_format}_PIXELS", 10_000)
    with pytest.raises(ValidationError) as error:
        add(report, officer, name, image_bytes(image_format, size=(200, 200)))
    assert error.value.code == "too_many_pixels"
    assert add(report, officer, "a.jpg", image_bytes("JPEG", size=(200, 200))).width == 200


def test_a_6_megapixel_webp_is_refused_by_default(report, officer):
    with pytest.raises(ValidationError) as error:
        add(report, officer, "wide.webp", image_bytes("WEBP", size=(3000, 2000)))
    assert "5 ล้านพิกเซล" in error.value.messages[0]


def test_a_photo_larger_than_the_stored_size_is_kept_reduced_and_upright(report, officer, monkeypatch):
    monkeypatch.setattr(images, "STORED_MAX_SIDE", 100, raising=False)
    photo = add(report, officer, "wide.jpg", image_bytes(size=(800, 600)))
    assert (photo.width, photo.height) == (100, 75)
    assert read_image(photo.image).size == (100, 75)
    side = add(report, officer, "side.jpg", image_bytes(size=(800, 600), exif=gps_exif(orientation=6)))
    assert (side.width, side.height) == (75, 100)
    assert read_image(side.image).size == (75, 100)
    png = add(report, officer, "wide.png", image_bytes("PNG", size=(800, 600)))
    assert read_image(png.image).size == (100, 75)


def test_a_jpeg_is_decoded_reduced(report, officer, monkeypatch):
    monkeypatch.setattr(images, "STORED_MAX_SIDE", 100, raising=False)
    decoded = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = draft(self, mode, size)
        if result is not None:  # a second call changes nothing
            decoded.append(self.size)  # the size libjpeg will decode at
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    add(report, officer, "big.jpg", image_bytes(size=(1600, 1200)))
    assert decoded == [(200, 150)]  # an eighth of the pixels' sides, not the full 1600 x 1200

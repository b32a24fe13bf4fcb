"""Factories and image helpers of the visits tests."""

import io
from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from tests.factories import CHIANG_MAI, MUEANG_CHIANG_MAI, CenterFactory, UserFactory
from visits.models import AddressedTo, CenterReport, Recommendation, Trip, TripLevel, TripMember


class TripFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trip

    title = factory.Sequence(lambda n: f"ติดตามศูนย์จัดการกองทุนชุมชน ครั้งที่ {n}")
    level = TripLevel.DISTRICT
    start_date = date(2024, 3, 24)
    end_date = date(2024, 3, 25)
    province_id = CHIANG_MAI
    district_id = MUEANG_CHIANG_MAI


class TripMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TripMember

    trip = factory.SubFactory(TripFactory)
    position = "นักวิชาการพัฒนาชุมชนชำนาญการ"


class CenterReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CenterReport

    trip = factory.SubFactory(TripFactory)
    center = factory.SubFactory(CenterFactory)
    visit_date = factory.LazyAttribute(lambda report: report.trip.start_date)
    author = factory.SubFactory(UserFactory)
    finding_committee = "คณะกรรมการประชุมทุกเดือน"
    strengths = "คณะกรรมการเข้มแข็ง"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(CenterReportFactory)
    text = "คณะกรรมการจัดทำทะเบียนข้อมูลภาวะหนี้สินของลูกหนี้"
    addressed_to = AddressedTo.COMMITTEE
    due_date = date(2024, 6, 30)


def gps_exif(*, orientation: int | None = None) -> Image.Exif:
    """EXIF with a camera make and a GPS position (18°47'24"N 98°59'06"E, Chiang Mai)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (IFDRational(18), IFDRational(47), IFDRational(24)),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (IFDRational(98), IFDRational(59), IFDRational(6)),
    }
    return exif


def image_bytes(
    image_format: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    *,
    exif: Image.Exif | None = None,
    mode: str = "RGB",
) -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, "red" if mode == "RGB" else 1)
    options = {"exif": exif.tobytes()} if exif is not None else {}
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def noise_png(size: tuple[int, int]) -> bytes:
    """A PNG that does not compress: about 3 bytes per pixel."""
    import os

    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def read_image(file) -> Image.Image:
    file.open("rb")
    try:
        return Image.open(io.BytesIO(file.read()))
    finally:
        file.close()

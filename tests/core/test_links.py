from django.template import Context, Template
from django.templatetags.static import static
from django.urls import reverse, set_script_prefix


def render(source):
    return Template("{% load links %}" + source).render(Context())


def test_fixed_url_is_url():
    assert render("{% fixed_url 'centers:center_list' %}") == reverse("centers:center_list")
    assert render("{% fixed_url 'admin:index' %}") == reverse("admin:index")


def test_fixed_url_follows_the_script_prefix():
    try:
        set_script_prefix("/kongtun/")
        assert render("{% fixed_url 'centers:center_list' %}") == "/kongtun/centers/"
    finally:
        set_script_prefix("/")
    assert render("{% fixed_url 'centers:center_list' %}") == "/centers/"


def test_static_file_is_static(settings):
    assert render("{% static_file 'css/kongtun.css' %}") == static("css/kongtun.css")
    settings.STATIC_URL = "/elsewhere/"
    assert render("{% static_file 'css/kongtun.css' %}") == "/elsewhere/css/kongtun.css"

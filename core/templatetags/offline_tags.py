from django import template
from django.utils import timezone

from core import thai

register = template.Library()


@register.simple_tag
def figures_taken_at() -> str:
    """When a page's figures were taken, in the Buddhist Era ("3 ธันวาคม 2569 14:05"): a page kept for
    offline use shows it, so that an officer with no network knows how old what is due is."""
    now = timezone.localtime()
    return f"{thai.format_date_be(now.date())} {now:%H:%M}"

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.scoping import get_visible_or_404

from .models import Center


@login_required
def center_list(request: HttpRequest) -> HttpResponse:
    centers = Center.objects.visible_to(request.user).with_area()
    page = Paginator(centers, 50).get_page(request.GET.get("page"))
    return render(request, "centers/center_list.html", {"page": page})


@login_required
def center_detail(request: HttpRequest, pk: int) -> HttpResponse:
    center = get_visible_or_404(Center.objects.with_area(), request.user, pk=pk)
    return render(request, "centers/center_detail.html", {"center": center})

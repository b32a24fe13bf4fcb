from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from centers.models import Center
from core.scoping import can_create
from geography.models import Village


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "center_count": Center.objects.visible_to(request.user).count(),
        "village_count": Village.objects.visible_to(request.user).count(),
        "can_create": can_create(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "core/home.html", context)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.scoping import can_create

from .forms import AREA_LEVELS, VillageForm, children_of
from .models import District, Province, Subdistrict, Village
from .services import village_save

PARENT_OF = {
    "district": ("province", Province),
    "subdistrict": ("district", District),
    "village": ("subdistrict", Subdistrict),
}


@login_required
@require_GET
def area_options(request: HttpRequest, level: str) -> HttpResponse:
    """The <option> list of one picker level under the parent chosen above it."""
    if level not in AREA_LEVELS or level == "province":
        raise Http404(_("Unknown area level."))
    parent_name, parent_model = PARENT_OF[level]
    parent = request.GET.get(parent_name, "").strip()
    if parent and not parent_model.objects.filter(pk=parent).exists():
        raise Http404(_("Unknown area code."))
    options = children_of(level, parent, request.user)
    return render(request, "geography/includes/area_options.html", {"options": options})


@login_required
def village_list(request: HttpRequest) -> HttpResponse:
    villages = Village.objects.visible_to(request.user).select_related("subdistrict__district__province")
    query = request.GET.get("q", "").strip()
    if query:
        villages = villages.filter(name__icontains=query)
    page = Paginator(villages.order_by("subdistrict_id", "moo"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "geography/village_list.html",
        {"page": page, "query": query, "can_create": can_create(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def village_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user):
        raise PermissionDenied
    return _village_form(request, Village())


@login_required
@require_http_methods(["GET", "POST"])
def village_edit(request: HttpRequest, pk: int) -> HttpResponse:
    village = get_object_or_404(Village.objects.visible_to(request.user), pk=pk)
    if not Village.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return _village_form(request, village)


def _village_form(request: HttpRequest, village: Village) -> HttpResponse:
    form = VillageForm(request.POST or None, instance=village, user=request.user)
    if request.method == "POST" and form.is_valid():
        village_save(user=request.user, village=form.instance)
        messages.success(request, _("Village saved: %(village)s") % {"village": village})
        return redirect("geography:village_list")
    return render(request, "geography/village_form.html", {"form": form, "village": village})

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Kongtun administration")
admin.site.site_title = _("Kongtun")
admin.site.index_title = _("Records")

urlpatterns = [
    path("", include("core.urls")),
    path("", include("offline.urls")),
    path("accounts/", include("accounts.urls")),
    path("geo/", include("geography.urls")),
    path("centers/", include("centers.urls")),
    path("visits/", include("visits.urls")),
    # Two apps under /households/: a household's own pages (households.urls); the list, its export, the Excel
    # import and the debt forms (debts.urls), built on debts, which sits above households (README, "Layout").
    path("households/", include("households.urls")),
    path("households/", include("debts.urls")),
    path("contracts/", include("contracts.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

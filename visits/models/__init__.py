"""Field monitoring visits: trips, one report per center visited, recommendations followed to the end.

Access (see `visits/access.py` for the rules in one place):
- a trip is recorded and edited by the office of its level (core.scoping.trip_record_q: district officers
  a district trip of their district, provincial staff a provincial trip, department staff a department
  trip); whoever recorded a trip may edit it;
- a center report belongs to its center's district, like the center itself; its author may edit it while
  it is a draft or was returned; it is reviewed one level above its trip (core.scoping.trip_review_q).
"""

from .news import NewsVersion
from .photos import ReportPhoto
from .recommendations import (
    OPEN_STATUSES,
    AddressedTo,
    FollowUp,
    Recommendation,
    RecommendationQuerySet,
    RecommendationStatus,
)
from .reports import (
    EDITABLE_STATUSES,
    SHARED_STATUSES,
    SNAPSHOT_FIELDS,
    CenterReport,
    CenterReportQuerySet,
    RegistryKind,
    ReportStatus,
)
from .trips import ItineraryStop, Trip, TripLevel, TripMember, TripQuerySet

__all__ = [
    "EDITABLE_STATUSES",
    "OPEN_STATUSES",
    "SHARED_STATUSES",
    "SNAPSHOT_FIELDS",
    "AddressedTo",
    "CenterReport",
    "CenterReportQuerySet",
    "FollowUp",
    "ItineraryStop",
    "NewsVersion",
    "Recommendation",
    "RecommendationQuerySet",
    "RecommendationStatus",
    "RegistryKind",
    "ReportPhoto",
    "ReportStatus",
    "Trip",
    "TripLevel",
    "TripMember",
    "TripQuerySet",
]

"""Field monitoring visits: trips, one report per center visited, recommendations followed to the end.

Access (see `visits/access.py` for the rules in one place):
- a trip belongs to its district when it has one (district officers there edit it), otherwise to its
  province; whoever recorded a trip may edit it;
- a center report belongs to its center's district, like the center itself; its author may edit it while
  it is a draft or was returned; provincial staff of the center's province review it.
"""

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

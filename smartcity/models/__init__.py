"""Core domain models: regions, the maturity framework, and people with their scope."""

from smartcity.models.people import Membership, Role, User
from smartcity.models.regions import Province, Region, RegionKind

__all__ = ["Membership", "Province", "Region", "RegionKind", "Role", "User"]

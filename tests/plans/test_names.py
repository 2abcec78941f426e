"""One way to match an agency's name (plans.names.agency_key): the task importer and the
seeding of the plans find the same agency for the same spelling."""

import pytest

from plans.models import Agency, Locality
from plans.names import agency_key, agency_spellings
from portal.seeding import AgencyIndex
from tasks.importing import AgencyMatcher

SPELLINGS = [
    "Sở KH&ĐT",
    "sở kế hoạch  và đầu tư",
    "Sở Kế hoạch Đầu tư",
    "Sở Kế hoạch và Đầu tư (cơ quan thường trực)",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_importer_and_the_seeding_match_the_same_spellings(dak_nong, spelling):
    locality = Locality.objects.get(code="dak-nong")
    agency = Agency.objects.get(locality=locality, name="Sở Kế hoạch và Đầu tư")
    assert agency_key(spelling) == agency_key(agency.name)
    assert AgencyMatcher(locality).match_cell(spelling)[0].agency == agency
    assert AgencyIndex().get(locality, spelling) == agency


def test_an_agency_is_known_by_its_name_short_name_and_aliases():
    agency = Agency(name="Liên minh Hợp tác xã tỉnh", short_name="LMHTX", aliases=["LM HTX"])
    assert agency_spellings(agency) == ["Liên minh Hợp tác xã tỉnh", "LMHTX", "LM HTX"]
    assert agency_spellings(Agency(name="Sở Tài chính")) == ["Sở Tài chính"]

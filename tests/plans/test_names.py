"""One way to match an agency's name (plans.names): the task importer and the seeding of
the plans find the same agency for the same spelling, and a new agency's kind follows
from its name. The accepted spellings and the kinds are tables, tested row by row."""

import unicodedata

import pytest
import yaml
from django.conf import settings

from plans.choices import AgencyKind, LocalityLevel
from plans.models import Agency, Locality
from plans.names import (
    agency_key,
    agency_kind_for,
    agency_spellings,
    group_key,
    locality_bare_key,
)
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


# (as written, as spelled out): each row must give the same key.
ACCEPTED = [
    # case, spacing, punctuation, "và", a remark in brackets
    ("sở kế hoạch  và đầu tư", "Sở Kế hoạch và Đầu tư"),
    ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư"),
    ("Sở Kế hoạch - Đầu tư.", "Sở Kế hoạch và Đầu tư"),
    ("Sở Kế hoạch và Đầu tư (cơ quan thường trực)", "Sở Kế hoạch và Đầu tư"),
    ("Sở Văn hóa - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Các Sở ban ngành", "Các Sở, ban, ngành"),
    # NFD input and the two placements of a tone mark
    (unicodedata.normalize("NFD", "Sở Tư pháp"), "Sở Tư pháp"),
    ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    # KH&ĐT
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở KH-ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở KHĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở KH và ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở K.H&Đ.T", "Sở Kế hoạch và Đầu tư"),
    ("Sở KH&DT", "Sở Kế hoạch và Đầu tư"),
    # TC after "Sở", "Bộ", "Phòng … KH"
    ("Sở TC", "Sở Tài chính"),
    ("Bộ TC", "Bộ Tài chính"),
    ("Phòng TC-KH huyện", "Phòng Tài chính - Kế hoạch huyện"),
    # TT&TT
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở TTTT", "Sở Thông tin và Truyền thông"),
    ("Sở TT-TT", "Sở Thông tin và Truyền thông"),
    ("Sở Thông tin Truyền thông", "Sở Thông tin và Truyền thông"),
    # NN&PTNT
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở NNPTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở NN và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở N.N&P.T.N.T", "Sở Nông nghiệp và Phát triển nông thôn"),
    # NN&MT (2025)
    ("Sở NN&MT", "Sở Nông nghiệp và Môi trường"),
    ("Sở NNMT", "Sở Nông nghiệp và Môi trường"),
    ("Sở Nông nghiệp - Môi trường", "Sở Nông nghiệp và Môi trường"),
    # TN&MT
    ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
    ("Sở TNMT", "Sở Tài nguyên và Môi trường"),
    # LĐ-TB&XH
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở LĐ, TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở Lao động Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
    # GD&ĐT
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
    ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
    ("Sở GD-ĐT", "Sở Giáo dục và Đào tạo"),
    # VH-TT&DL
    ("Sở VH-TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở VH, TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở VH, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở VH.TT.DL", "Sở Văn hóa, Thể thao và Du lịch"),
    # KH&CN
    ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ("Sở KHCN", "Sở Khoa học và Công nghệ"),
    # HTX, MTTQ, UBND, HĐND
    ("Liên minh HTX tỉnh", "Liên minh Hợp tác xã tỉnh"),
    ("LM HTX tỉnh", "Liên minh Hợp tác xã tỉnh"),
    ("UBMTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh"),
    ("UB MTTQ VN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("Ủy ban Mặt trận TQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("U.B.N.D tỉnh", "Ủy ban nhân dân tỉnh"),
    ("UBND TP. Gia Nghĩa", "Ủy ban nhân dân thành phố Gia Nghĩa"),
    ("UBND các huyện, thành phố", "Ủy ban nhân dân các huyện, thành phố"),
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
    ("HDND tỉnh", "Hội đồng nhân dân tỉnh"),
    # others of the seeded documents
    ("Sở GTVT", "Sở Giao thông vận tải"),
    ("Đài PT-TH tỉnh", "Đài Phát thanh - Truyền hình tỉnh"),
    ("Đài PT&TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
    ("NHNN chi nhánh tỉnh", "Ngân hàng Nhà nước chi nhánh tỉnh"),
    ("BCĐ KTTT tỉnh", "Ban Chỉ đạo kinh tế tập thể tỉnh"),
    ("BTV Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"),
]


@pytest.mark.parametrize(("written", "meaning"), ACCEPTED)
def test_an_accepted_spelling_means_the_name(written, meaning):
    assert agency_key(written) == agency_key(meaning)


# (one, other): different bodies keep different keys.
DIFFERENT = [
    ("Sở NN&MT", "Sở NN&PTNT"),
    ("Sở NN&MT", "Sở TN&MT"),
    ("Sở KH&ĐT", "Sở KH&CN"),
    ("Sở Tài chính", "Sở Tư pháp"),
    ("Ban TC Tỉnh ủy", "Ban Tài chính Tỉnh ủy"),  # TC means Tài chính only after Sở / Bộ
    ("UBND tỉnh", "HĐND tỉnh"),
    ("UBND các huyện, thành phố", "UBND các xã, phường, thị trấn"),
    ("UBND các huyện, thị xã, thành phố", "UBND các huyện, thành phố"),  # group_key only
]


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_bodies_keep_different_keys(one, other):
    assert agency_key(one) != agency_key(other)


# (one, other, same group?): group_key makes the lower level's list of units one thing.
GROUPS = [
    ("UBND các huyện, thị xã, thành phố", "UBND các huyện, thành phố", True),
    ("Ủy ban nhân dân các huyện, thành phố", "UBND các huyện, thành phố", True),
    ("UBND các quận, huyện", "UBND các huyện, thành phố", True),
    ("UBND các huyện, thị xã", "Ủy ban nhân dân các huyện, thị xã, thành phố", True),
    (
        "Các Trung tâm Bồi dưỡng Chính trị các huyện, thị xã, thành phố",
        "Các Trung tâm Bồi dưỡng Chính trị các huyện, thành phố",
        True,
    ),
    ("Các huyện ủy, thị ủy, thành ủy", "Các huyện ủy, thành ủy", True),
    ("UBND các xã, phường, thị trấn", "UBND các xã, phường", True),
    ("UBND các xã, phường, thị trấn", "UBND các huyện, thành phố", False),
    ("HĐND các huyện, thành phố", "UBND các huyện, thành phố", False),
    (
        "Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
        "Các huyện ủy, thành ủy",
        False,
    ),
]


@pytest.mark.parametrize(("one", "other", "same"), GROUPS)
def test_a_group_of_the_lower_level_is_one_group_whatever_units_it_lists(one, other, same):
    assert (group_key(one) == group_key(other)) is same


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Sở Tư pháp tỉnh", "Sở Tư pháp"),
        ("Sở Tư pháp tỉnh Đắk Nông", "Sở Tư pháp"),
        ("Báo Đắk Nông", "Báo"),
        ("Sở Tư pháp", "Sở Tư pháp"),
        ("Sở Tư pháp tỉnh Lâm Đồng", "Sở Tư pháp tỉnh Lâm Đồng"),
    ],
)
def test_within_its_locality_a_name_may_leave_the_locality_out(name, bare):
    dak_nong = Locality(name="Đắk Nông", level=LocalityLevel.PROVINCE)
    assert locality_bare_key(agency_key(name), dak_nong) == agency_key(bare)


K = AgencyKind
# (name, kind a new agency of that name gets)
KINDS = [
    ("Sở Tư pháp", K.DEPARTMENT),
    ("Sở KH&ĐT", K.DEPARTMENT),
    ("sở nông nghiệp và môi trường", K.DEPARTMENT),
    ("Phòng Tài chính - Kế hoạch huyện", K.DEPARTMENT),
    ("Ban Dân tộc tỉnh", K.DEPARTMENT),
    ("UBND tỉnh Lâm Đồng", K.PEOPLES_COMMITTEE),
    ("Ủy ban nhân dân xã Quảng Tín", K.PEOPLES_COMMITTEE),
    ("Uỷ ban nhân dân tỉnh", K.PEOPLES_COMMITTEE),
    ("HĐND tỉnh", K.PEOPLES_COUNCIL),
    ("Thường trực Hội đồng nhân dân tỉnh", K.PEOPLES_COUNCIL),
    ("Tỉnh ủy Lâm Đồng", K.PARTY),
    ("Thành ủy Yên Bái", K.PARTY),
    ("Huyện ủy Gò Công Tây", K.PARTY),
    ("Đảng ủy xã Quảng Tín", K.PARTY),
    ("Ban Tuyên giáo Tỉnh ủy", K.PARTY),
    ("Ban Dân vận Tỉnh ủy", K.PARTY),
    ("Ban Thường vụ Tỉnh ủy", K.PARTY),
    ("Ủy ban Kiểm tra Tỉnh ủy", K.PARTY),
    ("Văn phòng Tỉnh ủy", K.PARTY),
    ("Đảng đoàn HĐND tỉnh", K.PARTY),
    ("Ban cán sự đảng UBND tỉnh", K.PARTY),
    ("Ủy ban MTTQ Việt Nam tỉnh", K.MASS_ORGANISATION),
    ("Mặt trận Tổ quốc tỉnh", K.MASS_ORGANISATION),
    ("Hội Nông dân tỉnh", K.MASS_ORGANISATION),
    ("Hội Liên hiệp Phụ nữ tỉnh", K.MASS_ORGANISATION),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", K.MASS_ORGANISATION),
    ("Tỉnh đoàn", K.MASS_ORGANISATION),
    ("Ban Thường vụ Tỉnh đoàn", K.MASS_ORGANISATION),
    ("Liên đoàn Lao động tỉnh", K.MASS_ORGANISATION),
    ("Hội Cựu chiến binh tỉnh", K.MASS_ORGANISATION),
    ("Liên minh Hợp tác xã tỉnh", K.COOPERATIVE_ALLIANCE),
    ("LM HTX Việt Nam", K.COOPERATIVE_ALLIANCE),
    ("Ban Chỉ đạo kinh tế tập thể tỉnh", K.STEERING_COMMITTEE),
    ("BCĐ ĐMPT KTTT, HTX tỉnh", K.STEERING_COMMITTEE),
    ("Ngân hàng Nhà nước chi nhánh tỉnh", K.BANK),
    ("Ngân hàng Chính sách xã hội tỉnh", K.BANK),
    ("Chi nhánh Ngân hàng Nông nghiệp và Phát triển nông thôn tỉnh", K.BANK),
    ("Trường Chính trị tỉnh", K.SCHOOL),
    ("Trung tâm Bồi dưỡng chính trị huyện", K.SCHOOL),
    ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện", K.SCHOOL),
    ("Báo Lâm Đồng", K.MEDIA),
    ("Đài PT-TH tỉnh", K.MEDIA),
    ("Trung tâm Văn hóa - Truyền thanh huyện", K.MEDIA),
    ("Bộ Tài chính", K.MINISTRY),
    ("Bộ Nông nghiệp và Môi trường", K.MINISTRY),
    ("Chính phủ", K.CENTRAL),
    ("Thủ tướng Chính phủ", K.CENTRAL),
    ("Quốc hội", K.CENTRAL),
    ("Văn phòng Trung ương Đảng", K.CENTRAL),
    ("Bộ Chính trị", K.PARTY),
    ("Ban Chấp hành Trung ương Đảng", K.PARTY),
    ("Ban Bí thư", K.PARTY),
    ("Các Sở, ban, ngành", K.GROUP),
    ("UBND các huyện, thị xã, thành phố", K.GROUP),
    ("Ủy ban nhân dân các xã, phường", K.GROUP),
    ("Thành viên Ban Chỉ đạo", K.GROUP),
    ("Đảng đoàn Ủy ban MTTQ và các tổ chức chính trị - xã hội tỉnh", K.GROUP),
    ("Cục Thuế tỉnh", K.OTHER),
    ("Bảo hiểm xã hội tỉnh", K.OTHER),
    ("Bộ Chỉ huy Quân sự tỉnh", K.OTHER),
    ("Văn phòng HĐND và UBND huyện", K.OTHER),
    ("Ban Quản lý các khu công nghiệp tỉnh", K.OTHER),
]


@pytest.mark.parametrize(("name", "kind"), KINDS)
def test_a_new_agencys_kind_follows_from_its_name(name, kind):
    assert agency_kind_for(name) == kind


def _seeded_agencies():
    with open(settings.FIXTURES_DIR / "agencies.yaml", encoding="utf-8") as stream:
        return [row for rows in yaml.safe_load(stream).values() for row in rows]


@pytest.mark.parametrize("row", _seeded_agencies(), ids=lambda row: row["name"][:40])
def test_every_seeded_agency_has_the_kind_its_name_gives(row):
    """The rules agree with the kinds the five documents' bodies were given by hand."""
    assert agency_kind_for(row["name"]) == row["kind"]

"""Static data for the national profile: the 63 provinces before 01/07/2025, the 34 after, and name pools.

Province codes are the administrative codes (also the first digits of a citizen ID: "0" + code).
District counts are close to the 2024 figures (about 700 in all); populations (thousands, 2019 census,
rounded) only set each province's relative size. The 2025 grouping follows Nghị quyết 202/2025/QH15:
11 provinces unchanged, 52 merged into 23, each new province taking the name of its first member.
"""

from __future__ import annotations

from typing import NamedTuple


class Province(NamedTuple):
    code: int  # administrative code, 2 digits
    name: str
    city: bool  # thành phố trực thuộc Trung ương
    districts: int
    population: int  # thousands
    region: str  # "north" | "central" | "highlands" | "south"


PROVINCES: list[Province] = [
    Province(1, "Hà Nội", True, 30, 8054, "north"),
    Province(2, "Hà Giang", False, 11, 855, "north"),
    Province(4, "Cao Bằng", False, 10, 530, "north"),
    Province(6, "Bắc Kạn", False, 8, 314, "north"),
    Province(8, "Tuyên Quang", False, 7, 785, "north"),
    Province(10, "Lào Cai", False, 9, 731, "north"),
    Province(11, "Điện Biên", False, 10, 599, "north"),
    Province(12, "Lai Châu", False, 8, 460, "north"),
    Province(14, "Sơn La", False, 12, 1248, "north"),
    Province(15, "Yên Bái", False, 9, 822, "north"),
    Province(17, "Hòa Bình", False, 10, 855, "north"),
    Province(19, "Thái Nguyên", False, 9, 1287, "north"),
    Province(20, "Lạng Sơn", False, 11, 782, "north"),
    Province(22, "Quảng Ninh", False, 13, 1320, "north"),
    Province(24, "Bắc Giang", False, 10, 1803, "north"),
    Province(25, "Phú Thọ", False, 13, 1464, "north"),
    Province(26, "Vĩnh Phúc", False, 9, 1152, "north"),
    Province(27, "Bắc Ninh", False, 8, 1369, "north"),
    Province(30, "Hải Dương", False, 12, 1893, "north"),
    Province(31, "Hải Phòng", True, 15, 2029, "north"),
    Province(33, "Hưng Yên", False, 10, 1253, "north"),
    Province(34, "Thái Bình", False, 8, 1861, "north"),
    Province(35, "Hà Nam", False, 6, 852, "north"),
    Province(36, "Nam Định", False, 10, 1780, "north"),
    Province(37, "Ninh Bình", False, 8, 982, "north"),
    Province(38, "Thanh Hóa", False, 26, 3641, "central"),
    Province(40, "Nghệ An", False, 21, 3327, "central"),
    Province(42, "Hà Tĩnh", False, 13, 1289, "central"),
    Province(44, "Quảng Bình", False, 8, 896, "central"),
    Province(45, "Quảng Trị", False, 10, 633, "central"),
    Province(46, "Huế", True, 9, 1129, "central"),
    Province(48, "Đà Nẵng", True, 8, 1135, "central"),
    Province(49, "Quảng Nam", False, 18, 1496, "central"),
    Province(51, "Quảng Ngãi", False, 13, 1232, "central"),
    Province(52, "Bình Định", False, 11, 1487, "central"),
    Province(54, "Phú Yên", False, 9, 873, "central"),
    Province(56, "Khánh Hòa", False, 9, 1232, "central"),
    Province(58, "Ninh Thuận", False, 7, 591, "central"),
    Province(60, "Bình Thuận", False, 10, 1231, "central"),
    Province(62, "Kon Tum", False, 10, 541, "highlands"),
    Province(64, "Gia Lai", False, 17, 1514, "highlands"),
    Province(66, "Đắk Lắk", False, 15, 1870, "highlands"),
    Province(67, "Đắk Nông", False, 8, 622, "highlands"),
    Province(68, "Lâm Đồng", False, 12, 1297, "highlands"),
    Province(70, "Bình Phước", False, 11, 995, "south"),
    Province(72, "Tây Ninh", False, 9, 1170, "south"),
    Province(74, "Bình Dương", False, 9, 2426, "south"),
    Province(75, "Đồng Nai", False, 11, 3097, "south"),
    Province(77, "Bà Rịa – Vũng Tàu", False, 8, 1148, "south"),
    Province(79, "Hồ Chí Minh", True, 22, 8993, "south"),
    Province(80, "Long An", False, 15, 1688, "south"),
    Province(82, "Tiền Giang", False, 11, 1765, "south"),
    Province(83, "Bến Tre", False, 9, 1289, "south"),
    Province(84, "Trà Vinh", False, 9, 1009, "south"),
    Province(86, "Vĩnh Long", False, 8, 1023, "south"),
    Province(87, "Đồng Tháp", False, 12, 1599, "south"),
    Province(89, "An Giang", False, 11, 1908, "south"),
    Province(91, "Kiên Giang", False, 15, 1723, "south"),
    Province(92, "Cần Thơ", True, 9, 1236, "south"),
    Province(93, "Hậu Giang", False, 8, 733, "south"),
    Province(94, "Sóc Trăng", False, 11, 1199, "south"),
    Province(95, "Bạc Liêu", False, 7, 907, "south"),
    Province(96, "Cà Mau", False, 9, 1194, "south"),
]

# From 01/07/2025: each new province by its old members (the first gives the name and the code).
NEW_PROVINCES: list[tuple[int, ...]] = [
    (1,),
    (46,),
    (12,),
    (11,),
    (14,),
    (20,),
    (22,),
    (38,),
    (40,),
    (42,),
    (4,),
    (8, 2),
    (10, 15),
    (19, 6),
    (25, 26, 17),
    (27, 24),
    (33, 34),
    (31, 30),
    (37, 35, 36),
    (45, 44),
    (48, 49),
    (51, 62),
    (64, 52),
    (56, 58),
    (68, 67, 60),
    (66, 54),
    (79, 74, 77),
    (75, 70),
    (72, 80),
    (92, 94, 93),
    (86, 83, 84),
    (87, 82),
    (96, 95),
    (89, 91),
]

# Member density relative to population (party membership is denser in the north).
REGION_DENSITY = {"north": 1.25, "central": 1.1, "highlands": 0.85, "south": 0.75}

# Ethnic minorities among members, by region (the rest are Kinh), and the groups drawn from.
ETHNIC = {
    "north": (0.01, ("Tày", "Mường", "Nùng")),
    "central": (0.04, ("Thái", "Mường", "Bru – Vân Kiều", "Cơ Tu")),
    "highlands": (0.2, ("Ê Đê", "Gia Rai", "Ba Na", "M'Nông", "Cơ Ho")),
    "south": (0.06, ("Khmer", "Hoa", "Chăm")),
}
MOUNTAIN = {2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 20}  # northern mountain provinces: about 60% minorities
MOUNTAIN_ETHNIC = ("Tày", "Nùng", "H'Mông", "Dao", "Thái", "Mường", "Giáy", "Hà Nhì")
RELIGIONS = {
    "north": ("Phật giáo", "Công giáo"),
    "central": ("Phật giáo", "Công giáo"),
    "highlands": ("Công giáo", "Tin Lành", "Phật giáo"),
    "south": ("Phật giáo", "Công giáo", "Phật giáo Hòa Hảo", "Cao Đài"),
}

# Two of these make a plausible place name ("Phú Lộc", "Tân Hưng"): districts, communes, villages.
PLACE_SYLLABLES = [
    "An", "Bình", "Phú", "Tân", "Thạnh", "Hòa", "Đông", "Tây", "Nam", "Bắc", "Yên", "Thanh", "Vĩnh", "Long",
    "Hưng", "Gia", "Lộc", "Sơn", "Thủy", "Kim", "Quảng", "Đức", "Mỹ", "Hải", "Lương", "Cẩm", "Triệu",
    "Hoài", "Tam", "Phước", "Thuận", "Lợi", "Hiệp", "Trung", "Minh", "Quang", "Xuân", "Thiện", "Nghĩa",
    "Định", "Tiên", "Lạc", "Thái", "Hồng", "Cát", "Phong", "Văn", "Hà", "Tường", "Châu", "Khánh", "Hương",
    "Lâm", "Điền", "Thọ", "Trường", "Hợp", "Đồng", "Diên", "Liên", "Mai", "Ngọc", "Phúc", "Thắng",
    "Thịnh", "Tiến", "Toàn", "Trà", "Vân", "Vạn", "Xương", "Ninh", "Hạ", "Thượng", "Dương", "Chánh",
]  # fmt: skip

# Grassroots organizations a district has besides its communes (HD 38-HD/BTCTW's kinds of units).
DISTRICT_AGENCIES = [
    "Văn phòng Huyện ủy", "Văn phòng HĐND và UBND", "Phòng Tài chính – Kế hoạch", "Phòng Nội vụ",
    "Phòng Tư pháp", "Phòng Giáo dục và Đào tạo", "Phòng Tài nguyên và Môi trường", "Phòng Kinh tế – Hạ tầng",
    "Phòng Lao động – Thương binh và Xã hội", "Thanh tra", "Ủy ban MTTQ", "Chi cục Thuế", "Kho bạc Nhà nước",
    "Viện Kiểm sát nhân dân", "Tòa án nhân dân", "Chi cục Thi hành án dân sự", "Chi cục Thống kê",
    "Ngân hàng Chính sách xã hội", "Bảo hiểm xã hội", "Phòng Văn hóa và Thông tin",
]  # fmt: skip
AGENCY_COMMITTEES = ["Cơ quan Chính quyền", "Khối Đảng – Đoàn thể", "Khối Nội chính"]
BRANCH_TITLES = [
    "Văn phòng", "Tổ chức – Hành chính", "Kế hoạch – Tài vụ", "Nghiệp vụ 1", "Nghiệp vụ 2", "Nghiệp vụ 3",
    "Kỹ thuật", "Sản xuất", "Kinh doanh", "Khám bệnh", "Điều trị", "Cận lâm sàng", "Đội 1", "Đội 2", "Đội 3",
    "Phòng Tổng hợp", "Thanh tra – Pháp chế", "Dịch vụ",
]  # fmt: skip
POLICE_BRANCHES = [
    "An ninh", "Cảnh sát hình sự", "Cảnh sát giao thông", "Tham mưu", "Hậu cần", "Cảnh sát kinh tế",
    "Cảnh sát quản lý hành chính", "Cảnh sát cơ động",
]  # fmt: skip
ARMY_BRANCHES = ["Chỉ huy", "Tham mưu", "Chính trị – Hậu cần", "Dân quân tự vệ", "Hậu cần – Kỹ thuật"]
SCHOOL_KINDS = ["Trường THPT", "Trường THCS", "Trường Tiểu học", "Trường Mầm non"]
FAMOUS = [
    "Nguyễn Trãi", "Lê Lợi", "Trần Hưng Đạo", "Lý Thường Kiệt", "Nguyễn Du", "Chu Văn An", "Lê Quý Đôn",
    "Nguyễn Huệ", "Quang Trung", "Hai Bà Trưng", "Ngô Quyền", "Phan Bội Châu", "Phan Chu Trinh", "Võ Thị Sáu",
    "Nguyễn Khuyến", "Trần Phú", "Lê Hồng Phong", "Nguyễn Văn Trỗi", "Kim Đồng", "Lương Thế Vinh",
    "Hoàng Hoa Thám", "Nguyễn Bỉnh Khiêm", "Tô Hiến Thành", "Đinh Tiên Hoàng",
]  # fmt: skip
PUBLIC_COMMITTEES = ["Trung tâm Y tế", "Bệnh viện Đa khoa"]
PUBLIC_BRANCHES = [
    "Trung tâm Văn hóa – Thể thao", "Ban Quản lý dự án", "Trung tâm Giáo dục nghề nghiệp – GDTX",
    "Trung tâm Chính trị", "Đài Truyền thanh",
]  # fmt: skip
STATE_ENTERPRISES = ["Điện lực", "Công ty TNHH MTV Khai thác công trình thủy lợi", "Bưu điện", "Công ty Cấp nước"]
PRIVATE_STEMS = [
    "May", "Dệt may", "Thực phẩm", "Điện tử", "Cơ khí", "Vận tải", "Bao bì", "Gạch men", "Xây dựng", "Thủy sản",
    "Giày da", "Nhựa", "Dược phẩm", "Thép", "Gỗ", "Xi măng", "Chế biến nông sản", "Logistics",
]  # fmt: skip
PRIVATE_FORMS = ["Công ty TNHH", "Công ty CP"]
PROVINCE_AGENCIES = [
    "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Tư pháp", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Xây dựng", "Sở Giao thông vận tải", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường", "Sở Lao động – Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông",
    "Thanh tra tỉnh", "Cục Thuế", "Kho bạc Nhà nước tỉnh", "Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh",
    "Cục Thống kê", "Cục Hải quan", "Bảo hiểm xã hội tỉnh", "Ngân hàng Nhà nước chi nhánh", "Báo tỉnh",
    "Đài Phát thanh và Truyền hình", "Trường Chính trị", "Liên đoàn Lao động tỉnh", "Tỉnh Đoàn", "Hội Nông dân tỉnh",
]  # fmt: skip
PROVINCE_EXTRA = [
    "Ban Quản lý dự án",
    "Trung tâm Dịch vụ",
    "Chi cục",
    "Ban Quản lý khu công nghiệp",
    "Trung tâm Kỹ thuật",
]
PROVINCE_PUBLIC = [
    "Bệnh viện Đa khoa tỉnh", "Bệnh viện Sản – Nhi", "Bệnh viện Y học cổ truyền", "Trường Đại học",
    "Trường Cao đẳng Y tế", "Trường Cao đẳng Sư phạm", "Trường THPT Chuyên", "Trung tâm Kiểm soát bệnh tật",
]  # fmt: skip
PROVINCE_STATE = [
    "Công ty Điện lực", "Công ty Xổ số kiến thiết", "Công ty Cấp thoát nước", "Công ty Môi trường đô thị",
    "Chi nhánh Agribank", "Chi nhánh Vietcombank", "Chi nhánh VietinBank", "Chi nhánh BIDV", "Viễn thông",
    "Bưu điện tỉnh",
]  # fmt: skip

OCCUPATIONS = [
    ("Cán bộ, công chức", 14), ("Viên chức", 12), ("Giáo viên", 8), ("Công nhân", 7), ("Nông dân", 14),
    ("Hưu trí", 22), ("Lực lượng vũ trang", 6), ("Kinh doanh", 5), ("Học sinh, sinh viên", 2),
    ("Lao động tự do", 6), ("Bác sĩ", 2), ("Kỹ sư", 2),
]  # fmt: skip
PROFESSIONS = [
    "Cử nhân Luật", "Cử nhân Kinh tế", "Kỹ sư Nông nghiệp", "Cử nhân Sư phạm", "Bác sĩ", "Kỹ sư Xây dựng",
    "Cử nhân Hành chính", "Trung cấp Kế toán", "Cao đẳng Sư phạm", "Thạc sĩ Quản lý công", "Điều dưỡng",
    "Kỹ sư Công nghệ thông tin", "Cử nhân Quản trị kinh doanh", "Trung cấp Công an", "Cử nhân Quân sự",
]  # fmt: skip
DEGREES = ["", "", "", "", "", "", "", "", "", "Thạc sĩ", "Tiến sĩ"]

"""Place and institution names, dates and small helpers shared by the synthetic-data generators."""

from __future__ import annotations

import datetime as dt

FOUNDED = dt.date(1976, 1, 1)
REFORM = dt.date(2025, 7, 1)  # QĐ 294-QĐ/TW and HD 31-HD/BTCTW: districts end, communes begin

PROVINCES = [
    ("Hà Nam", "HNA"),
    ("Ninh Bình", "NBI"),
    ("Nam Định", "NDI"),
    ("Hưng Yên", "HYE"),
    ("Thái Bình", "TBI"),
    ("Hải Dương", "HDU"),
    ("Bắc Ninh", "BNI"),
    ("Vĩnh Phúc", "VPH"),
]
DISTRICT_NAMES = [
    "Kim Bảng",
    "Thanh Liêm",
    "Bình Lục",
    "Lý Nhân",
    "Duy Tiên",
    "Gia Viễn",
    "Hoa Lư",
    "Yên Mô",
    "Ý Yên",
    "Vụ Bản",
]
WARDS = [
    "Quang Trung",
    "Lê Hồng Phong",
    "Trần Hưng Đạo",
    "Hai Bà Trưng",
    "Minh Khai",
    "Lam Hạ",
    "Thanh Châu",
    "Liêm Chính",
    "Châu Sơn",
    "Tân Hiệp",
    "Đông Hòa",
    "Phù Vân",
    "Kim Bình",
    "Tiên Hiệp",
    "Lê Lợi",
    "Thanh Tuyền",
    "Đinh Xá",
    "Trịnh Xá",
    "Liêm Tuyền",
    "Tiên Tân",
    "Nhật Tân",
    "Đồng Hóa",
]
AGENCIES = [
    "Văn phòng Huyện ủy",
    "Văn phòng HĐND và UBND huyện",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế – Hạ tầng",
    "Thanh tra huyện",
    "Ủy ban MTTQ huyện",
    "Chi cục Thuế",
    "Kho bạc Nhà nước",
]
SCHOOLS = [
    "Trường THPT Nguyễn Khuyến",
    "Trường THPT Lý Thường Kiệt",
    "Trường THPT Kim Bảng A",
    "Trường THCS Trần Phú",
    "Trường THCS Lê Quý Đôn",
    "Trường Tiểu học Quang Trung",
    "Trường Mầm non Hoa Sen",
]
PUBLIC = ["Trung tâm Y tế huyện", "Bệnh viện Đa khoa huyện", "Trung tâm Văn hóa – Thể thao", "Ban Quản lý dự án"]
PRIVATE = [
    "Công ty TNHH May Hòa Thọ",
    "Công ty CP Xi măng Bút Sơn",
    "Công ty TNHH Dệt may Minh Anh",
    "Công ty CP Thực phẩm An Phát",
    "Công ty TNHH Điện tử Sumiden",
    "Công ty CP Đá Thanh Liêm",
    "Công ty TNHH Cơ khí Đức Thành",
    "Công ty CP Vận tải Hà Phát",
    "Công ty TNHH Bao bì Tân Tiến",
    "Công ty CP Gạch men Hoàng Long",
]
STATE = ["Công ty Điện lực huyện", "Công ty TNHH MTV Khai thác công trình thủy lợi"]
VILLAGES = ["Thôn", "Tổ dân phố", "Khu phố", "Xóm"]
AGENCY_BRANCHES = [
    "Chi bộ Văn phòng",
    "Chi bộ Tổ chức – Hành chính",
    "Chi bộ Kế hoạch – Tài vụ",
    "Chi bộ Nghiệp vụ 1",
    "Chi bộ Nghiệp vụ 2",
    "Chi bộ Kỹ thuật",
    "Chi bộ Sản xuất",
    "Chi bộ Kinh doanh",
    "Chi bộ Khám bệnh",
    "Chi bộ Điều trị",
    "Chi bộ Cận lâm sàng",
    "Chi bộ Đội 1",
    "Chi bộ Đội 2",
    "Chi bộ Đội 3",
]
PROFESSIONS = [
    "Cử nhân Luật",
    "Cử nhân Kinh tế",
    "Kỹ sư Nông nghiệp",
    "Cử nhân Sư phạm",
    "Bác sĩ",
    "Kỹ sư Xây dựng",
    "Cử nhân Hành chính",
    "Trung cấp Kế toán",
    "Cao đẳng Sư phạm",
    "Thạc sĩ Quản lý công",
    "Điều dưỡng",
]
OCCUPATIONS = [
    "Cán bộ, công chức",
    "Viên chức",
    "Giáo viên",
    "Công nhân",
    "Nông dân",
    "Hưu trí",
    "Lực lượng vũ trang",
    "Kinh doanh",
    "Học sinh, sinh viên",
    "Lao động tự do",
    "Bác sĩ",
]


def _d(year: int, month: int = 1, day: int = 1) -> dt.date:
    return dt.date(year, month, day)

"""docs/import-format.md, generated from format.py's tables so that it cannot drift from the reader.

The tables (sheets, columns, kinds, keys, allowed values) come from format.py and, for the ratings sheet,
from dangvu.assessment.exchange; the prose (rules of the import, error report, dates, identifiers, CSV) is
written here once. `dangvu template --docs docs/import-format.md` rewrites the file; a test checks that the
committed file equals render().
"""

from __future__ import annotations

from pathlib import Path

from dangvu.domain.vietnamese import fmt_int

from . import limits
from .format import (
    BOOL,
    CATALOG,
    CODE,
    CODES,
    DATE,
    DECIMAL,
    DIGITS,
    DOCUMENT_REF,
    ENUM,
    ENUMS,
    GUIDE_NAME,
    INT,
    SHEETS,
    TEXT,
    WORK_SHEETS,
    Column,
    Sheet,
)
from .limits import Limits
from .mapping import docs_lines

INTRO = """\
# Định dạng trao đổi dữ liệu Đảng vụ

> Tệp này được sinh từ `dangvu/imports/format.py` bằng `dangvu template --docs docs/import-format.md`;
> đừng sửa tay (một bài kiểm thử so sánh tệp với bộ sinh).

Một tệp trao đổi là **một sổ tính XLSX** gồm các sheet dưới đây, hoặc **một thư mục các tệp CSV** (mỗi
sheet một tệp, tên tệp ghi cạnh tên sheet). `dangvu template PATH` ghi một tệp mẫu rỗng: tiêu đề cột,
một dòng mẫu hợp lệ mỗi sheet (chữ nghiêng màu xám, xóa trước khi nhập dữ liệu thật), sheet
'Danh mục' các giá trị được phép và sheet 'Hướng dẫn'. `dangvu import PATH` nhập tệp;
`dangvu export --root MÃ --as-of NGÀY PATH` xuất cây tổ chức dưới MÃ vào ngày đó theo cùng định dạng.

## Quy tắc chung

- **Kiểm tra toàn bộ trước, ghi một lần.** Mọi sheet, mọi dòng được đọc và kiểm tra trước khi ghi; chỉ cần
  một lỗi là không ghi gì. Khi không có lỗi, tất cả được ghi trong **một giao dịch** (transaction) cơ sở dữ
  liệu cùng một mục nhật ký (audit) `import` ghi tên tệp và số bản ghi mỗi loại; các bản ghi công tác đảng
  đi qua cùng các quy tắc của dịch vụ (`dangvu/work/services.py`) mà giao diện dùng.
- **Báo lỗi.** Mỗi lỗi một dòng, theo thứ tự sheet, dòng, cột:
  `Sheet 'Đảng viên', dòng 5, cột 'Số CCCD': Số CCCD phải gồm đúng 12 chữ số.` Số dòng là số Excel hiển thị
  (dòng tiêu đề là dòng 1). Lỗi của cả tệp bắt đầu bằng tên tệp: `Tệp danh-sach.xlsx: …`. Lệnh kết thúc
  với mã lỗi khác 0 và dòng `Không nhập gì: N lỗi.`
- **Tiêu đề cột.** Dòng 1 của mỗi sheet là tiêu đề, đúng như bảng dưới (không phân biệt hoa thường, có dấu
  hay không dấu); thứ tự cột tùy ý; cột không bắt buộc có thể bỏ. Cột lạ hoặc thiếu cột bắt buộc là lỗi ở
  dòng 1. Sheet lạ được bỏ qua kèm một thông báo; các sheet 'Danh mục', 'Hướng dẫn' và 'Xếp loại' được bỏ
  qua (sheet 'Xếp loại' nhập bằng `dangvu assess import`, xem cuối tài liệu).
- **Chỉ thêm mới.** Mã tổ chức, mã đảng viên, số CCCD, số thẻ và khóa của các bản ghi công tác đảng đã có
  trong cơ sở dữ liệu là lỗi: tệp nhập chỉ thêm bản ghi mới. Tệp được tham chiếu đến tổ chức, đảng viên,
  văn bản và chương trình đã có trong cơ sở dữ liệu. Bản ghi không có khóa (kiểm tra, đơn thư …) mà giống hệt
  từng cột một bản ghi đã có cũng bị từ chối (thường là nhập lại cùng một tệp).
- **Ngày**: ô ngày tháng của Excel, hoặc văn bản `dd/mm/yyyy` (`5/3/2016`, `05.03.2016`), hoặc ISO
  `yyyy-mm-dd`. Năm phải trong khoảng 1880–2199. Tệp xuất ghi ô ngày tháng hiển thị `dd/mm/yyyy`
  (CSV: `dd/mm/yyyy`).
- **Mã và số định danh là văn bản.** Mã tổ chức, mã đảng viên, số lý lịch, điện thoại phải là ô văn bản: ô
  kiểu số có thể đã mất các số 0 ở đầu nên bị từ chối. Số CCCD (12 chữ số) và số thẻ đảng viên (8 chữ số)
  nhận ô kiểu số chỉ khi đủ chữ số. Tệp xuất định dạng các cột này là Văn bản (`@`).
- **Unicode.** Văn bản được chuẩn hóa NFC khi đọc: tệp gõ hoặc dán ở dạng NFD (tổ hợp dấu rời) đọc như NFC.
  Khoảng trắng thừa được rút gọn, trừ cột ghi chú sự kiện tổ chức (giữ nguyên xuống dòng).
- **Danh mục** (cột kiểu danh mục): ghi nhãn hoặc mã, không phân biệt hoa thường hay dấu (`Chi bộ trực thuộc`,
  `chi bo truc thuoc`, `branch`). Tệp xuất ghi nhãn.
- **Có/Không**: `Có`, `x`, `1`, `đúng` hoặc `Không`, `0`, `sai`; để trống là giá trị mặc định ghi ở bảng.
- **Số**: số nguyên hoặc số thập phân với dấu `,` hoặc `.` trước phần thập phân, không ghi dấu nghìn; tỷ lệ
  ghi dạng phân số (`0,95` là 95%). CSV xuất ghi dấu phẩy thập phân.
- **Văn bản được tham chiếu** ở các sheet khác bằng khóa của nó viết thành một chuỗi
  `{ref}`, ví dụ `36-CTr/TU (2005–2010)`; nhiều văn bản cách nhau bằng `; `.
- **Dạng CSV**: UTF-8 (có hoặc không có BOM; tệp xuất có BOM để Excel đọc đúng tiếng Việt), dấu phân cách
  `,`, ngoặc kép theo RFC 4180; mỗi sheet một tệp với tên ghi ở bảng; tệp `danh_muc.csv`, `huong_dan.csv`,
  `xep_loai.csv` được bỏ qua. Nhiều mã trong một ô cách nhau bằng `; `.

## Xuất theo ngày

`dangvu export --root MÃ --as-of NGÀY` ghi các tổ chức trong cây dưới MÃ vào NGÀY, đóng theo tham chiếu
(tổ chức cấp trên, sự kiện tổ chức và các tổ chức liên quan, đảng viên từng sinh hoạt ở đó, văn bản và
chương trình được nhắc đến), chỉ phần hồ sơ đến NGÀY: phiên bản và sự kiện sau NGÀY bị bỏ, ngày kết thúc
sau NGÀY ghi để trống. Bản ghi công tác đảng được xuất khi tổ chức của nó (với bản ghi của một đảng viên:
chi bộ của đảng viên) nằm trong cây vào chính ngày của bản ghi, và ngày đó không sau NGÀY; bản ghi theo năm
hay nhiệm kỳ (kế hoạch, chương trình, chỉ tiêu) khi tổ chức nằm trong cây vào một ngày nào đó của kỳ. Điều
xảy ra sau NGÀY được để trống: kết luận kiểm tra, đơn thư; ngày thôi giữ chức vụ; chi bộ xét sau NGÀY
(quần chúng còn ở bước 'Đang bồi dưỡng'), kết nạp sau NGÀY (còn ở bước 'Chi bộ đã xét'); văn bản ban hành
sau NGÀY không được nhắc đến. Xuất → nhập vào cơ sở dữ liệu rỗng → xuất cho các tệp giống hệt từng byte.
"""

KIND_TEXT = {
    TEXT: "văn bản",
    CODE: "mã (ô văn bản)",
    DATE: "ngày",
    CODES: "nhiều mã, cách nhau '; '",
    INT: "số nguyên",
    DECIMAL: "số",
    BOOL: "Có/Không",
}
REF_TEXT = {
    "org": "mã tổ chức (trong tệp hoặc đã có)",
    "member": "mã đảng viên (trong tệp hoặc đã có)",
    "document": f"văn bản `{DOCUMENT_REF}`",
    "programme": "nhiệm kỳ của một chương trình toàn khóa của tổ chức ở cột 'Mã tổ chức'",
}
# The rules each work sheet's rows must follow beyond what the columns say (check_work.py), with sources.
RULES: dict[str, list[str]] = {
    "to_chuc": [
        "Mỗi dòng là một phiên bản của một tổ chức (tên, cấp, loại hình, cấp trên) trong khoảng Từ ngày – Đến "
        "ngày (Đến ngày trống: còn hiệu lực; ngày kết thúc không thuộc khoảng). Các phiên bản của một tổ chức không "
        "chồng lấn; cấp trên phải hoạt động suốt khoảng đó và đúng cấp (chi bộ trực thuộc dưới đảng bộ cơ sở hoặc "
        "đảng bộ bộ phận …; Điều lệ Đảng 2011, Điều 21–25; Quy định 294-QĐ/TW); không có vòng lặp.",
        "Mã tổ chức đã có trong cơ sở dữ liệu là lỗi; mã cấp trên có thể là một tổ chức đã có.",
    ],
    "su_kien_to_chuc": [
        "Mã sự kiện do tệp đặt (tệp xuất ghi `yyyymmdd-LOẠI-MÃ TỔ CHỨC ĐẦU`), không trùng; cần ít nhất một tổ chức "
        "trước hoặc sau. Cột 'Mã sự kiện tổ chức' của sheet 'Tổ chức' và 'Sự kiện đảng viên' trỏ đến mã này.",
    ],
    "dang_vien": [
        "Mã đảng viên, số CCCD, số thẻ không trùng trong tệp và với cơ sở dữ liệu; họ tên chuẩn hóa NFC.",
    ],
    "su_kien_dang_vien": [
        "Các sự kiện của một đảng viên được kiểm tra như một quá trình: 18–60 tuổi vào ngày chi bộ xét (tính theo "
        "tháng; quá 60 cần văn bản chấp thuận; Điều lệ Đảng 2011, Điều 1; Hướng dẫn 01-HD/TW, 3.1); công nhận chính "
        "thức không sớm hơn 12 tháng sau lễ kết nạp và ghi ngày hết 12 tháng (Điều lệ Đảng 2011, Điều 5); không có sự "
        "kiện sau khi từ trần; kết nạp lại nhiều nhất một lần, "
        "sau ít nhất 36 tháng (Quy định 24-QĐ/TW, 3.5.3). Tổ chức của sự kiện là một chi "
        "bộ hoạt động vào ngày đó (Điều lệ Đảng 2011, Điều 24); để trống khi ở ngoài các tổ chức của hệ thống.",
    ],
    "van_ban": [
        "Loại văn bản theo Hướng dẫn 36-HD/VPTW; một văn bản không thể thực hiện chính nó; văn bản được "
        "thực hiện phải có trong tệp hoặc cơ sở dữ liệu.",
    ],
    "chi_tieu_nhiem_ky": ["Nếu ghi nhiệm kỳ chương trình, chương trình đó phải có (trong tệp hoặc đã có)."],
    "ke_hoach_nam": [
        "Cách gọi: 'kế hoạch' (kế hoạch của cấp ủy) hoặc 'chỉ tiêu' (cấp trên giao); để trống là 'kế hoạch'."
    ],
    "quan_chung_uu_tu": [
        "Tổ chức là một chi bộ (chi bộ trực thuộc hoặc chi bộ cơ sở), Điều lệ Đảng 2011, Điều 4.",
        "Bước 'Chi bộ đã xét' hoặc 'Đã kết nạp' cần đủ hồ sơ, ngày cấp giấy chứng nhận lớp bồi dưỡng nhận thức về "
        "Đảng và ngày chi bộ xét (Hướng dẫn 12-HD/BTCTW).",
        "Mã đảng viên ghi khi và chỉ khi bước là 'Đã kết nạp'.",
    ],
    "ky_luat": [
        "Đảng viên chính thức: khiển trách, cảnh cáo, cách chức, khai trừ; đảng viên dự bị chỉ khiển trách, cảnh "
        "cáo; tổ chức đảng: khiển trách, cảnh cáo, giải tán (Điều lệ Đảng 2011, Điều 35; Quy định 69-QĐ/TW). "
        "Tư cách (dự bị/chính thức) lấy theo quá trình của đảng viên vào ngày quyết định; người không sinh hoạt "
        "đảng vào ngày đó không thể bị kỷ luật.",
    ],
    "don_thu": ["Ngày thụ lý và ngày kết luận không trước ngày nhận."],
    "lop_boi_duong": [
        "Lượt người dự không ít hơn số học viên ghi mã; để trống thì bằng số học viên. Sau lớp sơ cấp, trung cấp "
        "lý luận chính trị, trình độ lý luận chính trị của học viên được nâng lên nếu đang thấp hơn.",
    ],
    "hoc_tap_nghi_quyet": ["Số đảng viên dự không quá số phải dự."],
    "khen_thuong": ["Năm được khen không sau năm của ngày quyết định."],
    "huy_hieu_dang": [
        "Mốc 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 năm tuổi Đảng; ngày trao không trước ngày đủ tuổi "
        "Đảng của mốc (tuổi Đảng tính từ ngày quyết định kết nạp, trừ thời gian ra khỏi Đảng, hoặc từ ngày cấp ủy "
        "xác nhận); truy tặng được sớm tối đa 12 tháng (Quy định 24-QĐ/TW, điểm 27; Hướng dẫn 01-HD/TW, 18). Mỗi "
        "đảng viên một huy hiệu mỗi mốc.",
    ],
}


def _kind(col: Column) -> str:
    if col.kind == DIGITS:
        return f"đúng {col.digits} chữ số (ô văn bản)"
    if col.kind == ENUM:
        return f"danh mục '{ENUMS[col.enum].title}'"
    return KIND_TEXT[col.kind]


def _note(sheet: Sheet, col: Column) -> str:
    notes = []
    if sheet.model is not None and col.kind == TEXT and col.field in {f.name for f in sheet.model._meta.fields}:
        f = sheet.model._meta.get_field(col.field)
        if f.has_default() and f.get_default():  # type: ignore[union-attr]
            notes.append(f"để trống là '{f.get_default()}'")  # type: ignore[union-attr]
    if col.ref:
        notes.append(REF_TEXT[col.ref])
    if col.max_length and col.kind in (TEXT, CODE):
        notes.append(f"tối đa {col.max_length} ký tự")
    if col.kind == BOOL:
        notes.append(f"mặc định {'Có' if col.default else 'Không'}")
    if col.verbatim:
        notes.append("giữ nguyên xuống dòng")
    return "; ".join(notes)


def _sheet(sheet: Sheet) -> list[str]:
    lines = [f"### {sheet.name} (`{sheet.csv_name}`)", ""]
    if sheet.about:
        lines += [sheet.about, ""]
    facts = []
    if sheet.key:
        facts.append(
            "Khóa (không trùng trong tệp và với cơ sở dữ liệu): "
            + " + ".join(f"'{sheet.header_of(f)}'" for f in sheet.key)
            + "."
        )
    if sheet.date:
        facts.append(f"Ngày của bản ghi: '{sheet.header_of(sheet.date)}' (tổ chức phải đang hoạt động vào ngày đó).")
    for a, b in sheet.ordered:
        facts.append(f"'{sheet.header_of(b)}' không trước '{sheet.header_of(a)}'.")
    if sheet.one_of:
        facts.append("Ghi đúng một trong: " + ", ".join(f"'{sheet.header_of(f)}'" for f in sheet.one_of) + ".")
    facts += RULES.get(sheet.slug, [])
    lines += [f"- {f}" for f in facts]
    if facts:
        lines.append("")
    lines += ["| Cột | Kiểu | Bắt buộc | Ghi chú |", "|---|---|---|---|"]
    for c in sheet.columns:
        lines.append(f"| {c.header} | {_kind(c)} | {'có' if c.required else ''} | {_note(sheet, c)} |")
    return [*lines, ""]


def _ratings() -> list[str]:
    from dangvu.assessment.exchange import COLUMNS, CSV_NAME, SHEET
    from dangvu.domain.assessment.levels import GRADE_LABELS, NEW_LABELS, OLD_MEMBER_LABELS, OLD_ORG_LABELS, SHORT

    meaning = {
        "Năm": "năm đánh giá (số)",
        "Mã cấp ủy quyết định": "mã tổ chức của cấp ủy mở đợt đánh giá năm đó",
        "Loại đối tượng": "'Đảng viên' hoặc 'Tổ chức'",
        "Mã đối tượng": "mã đảng viên hoặc mã tổ chức",
        "Bước": "Tự đánh giá, Chi bộ đề xuất, Thẩm định, Cấp ủy quyết định (hoặc 'Quyết định')",
        "Mức": "mức xếp loại; bắt buộc ở bước quyết định",
        "Tiêu biểu": "x, có hoặc 1 cho tổ chức/đảng viên tiêu biểu",
        "Tổng điểm": "số, dấu ',' hoặc '.'",
        "Tiêu chí": "'tên tiêu chí=" + "|".join(GRADE_LABELS.values()) + "', nhiều tiêu chí cách nhau '; '",
        "Nhận xét": "văn bản",
        "Lý do vượt hạn mức": "giải trình khi số HTXS vượt hạn mức",
        "Ngày xếp loại": "ngày xếp loại dd/mm/yyyy của đợt đánh giá mà tệp mở (một ngày cho mỗi cấp ủy và năm; "
        "bỏ trống: ngày của lệnh nhập hoặc 15/12)",
    }
    levels = sorted({*NEW_LABELS.values(), *OLD_ORG_LABELS.values(), *OLD_MEMBER_LABELS.values(), *SHORT.values()})
    lines = [
        f"## Xếp loại (`{CSV_NAME}`)",
        "",
        f"Sheet '{SHEET}' (hoặc tệp `{CSV_NAME}`) mang kết quả kiểm điểm, xếp loại hằng năm và được nhập riêng bằng "
        "`dangvu assess import PATH` (dangvu/assessment/exchange.py): `dangvu import` bỏ qua nó. Các dòng bước "
        "quyết định đi qua các quy tắc của đợt đánh giá (hạn mức HTXS, mức tối đa khi bị kỷ luật …); có lỗi thì "
        "không ghi gì. Sáu cột đầu bắt buộc. Các dòng ghi theo thứ tự bất kỳ: quyết định được áp dụng từ dưới lên "
        "(đảng viên, chi bộ, đảng bộ bộ phận, tổ chức cơ sở đảng, rồi các cấp trên).",
        "",
        "| Cột | Nội dung |",
        "|---|---|",
        *[f"| {c} | {meaning[c]} |" for c in COLUMNS],
        "",
        "Mức (nhãn hoặc viết tắt, không phân biệt hoa thường hay dấu): " + "; ".join(levels) + ".",
        "",
    ]
    return lines


def _limits() -> list[str]:
    d = Limits()
    mb = limits.MB
    return [
        "## Giới hạn của một tệp nhập",
        "",
        "Kiểm tra trước khi đọc nội dung (`dangvu/imports/limits.py`); tệp vượt giới hạn bị từ chối với lỗi nêu "
        "tên tệp (và sheet, dòng, cột khi có), không ghi gì. Giá trị mặc định dưới đây; đổi bằng biến môi trường "
        "`DANGVU_IMPORT_<TÊN>` (ví dụ `DANGVU_IMPORT_UPLOAD_BYTES`).",
        "",
        "| Giới hạn | Mặc định | Tên |",
        "|---|---|---|",
        f"| Dung lượng tệp (.xlsx hoặc một tệp .csv) | {fmt_int(d.upload_bytes // mb)} MB | `upload_bytes` |",
        f"| Tổng dung lượng giải nén của tệp .xlsx | {fmt_int(d.inflated_bytes // mb)} MB | `inflated_bytes` |",
        f"| Tỉ lệ nén của một phần tệp .xlsx (phần lớn hơn {fmt_int(d.ratio_floor_bytes // mb)} MB) "
        f"| {fmt_int(d.ratio)} lần | `ratio` |",
        f"| Số dòng một sheet | {fmt_int(d.rows)} | `rows` |",
        f"| Số cột một sheet | {fmt_int(d.columns)} | `columns` |",
        f"| Số ô một sheet (dòng × cột) | {fmt_int(d.cells)} | `cells` |",
        f"| Sheet lớn hơn số ô này được đọc tuần tự (ít bộ nhớ, chậm hơn) | {fmt_int(d.grid_cells)} | `grid_cells` |",
        "| Sheet lớn hơn `grid_cells` phải có ít nhất 1 ô dữ liệu trong số ô này của vùng dữ liệu "
        f"| {fmt_int(d.sparse)} | `sparse` |",
        f"| Số ký tự một ô | {fmt_int(d.cell_chars)} | `cell_chars` |",
        f"| Số dòng một tệp CSV | {fmt_int(d.csv_lines)} | `csv_lines` |",
        "",
        "Tệp CSV phải là UTF-8; tệp .xlsx phải là tệp nén zip của Excel (tệp khác đổi đuôi thành .xlsx bị từ "
        "chối). Nhập lại một tệp mà mọi tổ chức và đảng viên đều đã có được báo là tệp đã nhập.",
        "",
    ]


def render() -> str:
    out = [INTRO.format(ref=DOCUMENT_REF), *_limits(), "## Các sheet", ""]
    out += [f"- '{s.name}' (`{s.csv_name}`)" for s in SHEETS]
    out += ["", "Không bắt buộc phải có đủ các sheet: tệp chỉ cần những sheet có dữ liệu.", ""]
    out += ["## Tổ chức và đảng viên", ""]
    for s in SHEETS:
        if s not in WORK_SHEETS:
            out += _sheet(s)
    out += ["## Công tác đảng, chương trình, chỉ tiêu và kế hoạch", ""]
    for s in WORK_SHEETS:
        out += _sheet(s)
    out += _ratings()
    out += docs_lines()
    out += [
        f"## Danh mục (sheet '{CATALOG.name}')",
        "",
        f"Tệp mẫu và tệp xuất có sheet '{CATALOG.name}' (các cột: "
        + ", ".join(CATALOG.headers)
        + f") và tệp mẫu có sheet '{GUIDE_NAME}'; khi nhập, hai sheet này được bỏ qua.",
        "",
    ]
    for e in ENUMS.values():
        out += [f"### {e.title}", "", f"Dùng ở: {e.used_in}.", "", "| Giá trị | Mã |", "|---|---|"]
        out += [
            f"| {label} | `{code}` |" if code else f"| {label or '(trống)'} | (trống) |"
            for code, label in e.labels.items()
        ]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_docs(path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render(), encoding="utf-8")
    return p

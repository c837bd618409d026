"""The page and type of Hướng dẫn 36-HD/VPTW (membership_orgs §5 [V S17, S93–S96]).

[V]: A4; TCVN 6909:2001 Unicode font; header 15 pt bold capitals; issuing body 14 pt bold capitals (superior
14 pt capitals); number line 14 pt; place and date 14 pt italic; document type 15–16 pt bold capitals; body
14–15 pt. Margins are not in the research notes: the values below are those of HD 36's appendix as commonly
reproduced (top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm) [P], kept as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    font: str = "Times New Roman"  # metric-compatible Liberation Serif / Tinos render it in LibreOffice
    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    header_pt: float = 15  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    issuer_pt: float = 14
    number_pt: float = 14
    place_date_pt: float = 14
    doc_type_pt: float = 16  # 15–16 [V]
    subject_pt: float = 14
    body_pt: float = 14  # 14–15 [V]
    table_pt: float = 11  # tables are not sized by the guide [I]
    recipients_pt: float = 11  # "Nơi nhận" list [P]
    first_line_indent_mm: float = 12.7
    line_spacing: float = 1.15  # [I]
    space_after_pt: float = 6  # [I]

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm


LAYOUT = Layout()

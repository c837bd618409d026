"""The tables agree with the indicators (targets.indicators) and the review statistics (assessment.stats) wherever
they count the same thing, on the generated district across the 2025 reform, for the district and every unit of
the year's end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangvu.assessment.stats import review_stats_by_root
from dangvu.domain.membership import ADMISSION_CATEGORY_LABELS
from dangvu.orgs.models import Organization, OrgVersion, valid_on
from dangvu.orgs.queries import tree_on
from dangvu.synth.district import generate
from dangvu.tables.builder import all_tables, build
from dangvu.targets.indicators import compute_by_root

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def demo() -> Any:
    return generate(profile="district", seed=7, members=400, today=TODAY, rate_from=2016)


def _roots(on: dt.date) -> list[Organization]:
    kinds = ["district", "commune", "grassroots_committee", "grassroots_branch"]
    ids = OrgVersion.objects.filter(valid_on(on), kind__in=kinds).values_list("organization_id", flat=True)
    return list(Organization.objects.filter(pk__in=ids))


def test_the_tables_agree_with_the_indicators_the_tree_and_the_review_statistics(demo: Any) -> None:
    tables = {t.code: t for t in all_tables()}
    codes = ("dang-vien-gioi-tinh", "ket-nap", "ra-khoi-dang", "xep-loai-dang-vien", "xep-loai-to-chuc")
    wanted = [tables[c] for c in codes]
    checked, seen = 0, dict.fromkeys(("members", "admissions", "exits", "rated"), 0)
    for year in (2019, 2024, 2025):
        on = dt.date(year, 12, 31)
        roots = _roots(on)
        assert roots
        values = compute_by_root(roots, dt.date(year, 1, 1), on, ["members.end", "admissions", "exits"])
        review = review_stats_by_root([r.pk for r in roots], year, structure_on=on)
        for root in roots:
            got = {f.table.code: f.grid for f in build(root, on, wanted, by_unit=False)}
            members_end, admissions, exits = values[root.pk]
            tree = tree_on(on, root)
            assert got["dang-vien-gioi-tinh"].cell("tong-so", "tong-so") == members_end.value == tree[0].members
            assert got["dang-vien-gioi-tinh"].cell("tong-so", "du-bi") == tree[0].probationary
            adm = got["ket-nap"]
            assert adm.cell("tong-so", "tong-so") == admissions.value
            by_label = {r.label: adm.cell(r.key, "tong-so") for r in tables["ket-nap"].rows}
            for label, n in admissions.breakdown.items():
                assert by_label[label] == n, (root.code, year, label)
            assert sum(by_label[lb] for lb in ADMISSION_CATEGORY_LABELS.values()) == admissions.value
            out = got["ra-khoi-dang"]
            assert out.cell("tong-so", "tong-so") == exits.value
            for r in tables["ra-khoi-dang"].rows[1:]:
                assert out.cell(r.key, "tong-so") == exits.breakdown.get(r.label, 0)
            g = review[root.pk]
            members = got["xep-loai-dang-vien"]
            assert members.cell("xep-loai", "so-luong") == g["members"].rated
            assert members.cell("khong-xep-loai", "so-luong") == sum(g["members"].not_rated.values())
            assert members.cell("tieu-bieu", "so-luong") == g["members"].exemplary
            for rank in (4, 3, 2, 1):
                assert members.cell(f"muc-{rank}", "so-luong") == g["members"].at_rank(rank)
            orgs = got["xep-loai-to-chuc"]
            for col, group in (("tccsd", "grassroots"), ("chi-bo", "branches")):
                assert orgs.cell("xep-loai", col) == g[group].rated
                assert orgs.cell("chua-co", col) == g[group].pending
                for rank in (4, 3, 2, 1):
                    assert orgs.cell(f"muc-{rank}", col) == g[group].at_rank(rank)
            checked += 1
            seen["members"] += members_end.value
            seen["admissions"] += admissions.value
            seen["exits"] += exits.value
            seen["rated"] += g["members"].rated + g["grassroots"].rated
    # the check is not vacuous: many roots, and something counted of each kind
    assert checked > 10 and all(seen.values()), seen

"""The annual review (kiểm điểm, đánh giá, xếp loại chất lượng): levels, regimes, rules, quota, streaks.

Plain Python. Each rule returns a level and the reasons, every reason citing its clause.
"""

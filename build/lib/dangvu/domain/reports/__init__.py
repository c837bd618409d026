"""Reports, the pure part: periods, the document header of Hướng dẫn 36-HD/VPTW, the shapes builders return,
and the phrasing the seed reports use. No Django."""

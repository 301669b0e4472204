"""Figures and documents: /tiendo (progress by Biểu mẫu 1's categories, with a chart),
/baocao (the result appendix, the draft report, the score table), /ketqua (the
appendix wording of a task), and how a file reaches the person (a document, or a signed
link on Zalo)."""
